"""Learned suggestions during intake and dispatch, inside their transaction.

Kept apart from services/learning.py (training, the stored model) so that a command that never
needs a suggestion (every request matched a rule, `--no-dispatch`, [learn] suggest off) imports
neither the learning services nor their store queries: the model is looked up on the first
request no rule matched.
"""

from datetime import datetime

from jiesu.domain.dispatching import Decision, Outcome, with_suggestion
from jiesu.domain.learning import LearnedModel, Suggestion
from jiesu.services.context import Office
from jiesu.store.engine import CaseConnection, create_case_engine, transaction


class Suggester:
    """Learned suggestions inside one transaction: the model is looked up on the first request no
    rule matched, and only when [learn] suggest is on (so a batch that matches rules never loads it).

    Without a connection (a batch import's worker process), the model is read in a short read
    transaction on a connection of its own, closed at once: no snapshot is held open while the
    import writes, and a worker holds no connection to the case file when it ends (SQLite's last
    connection to close a file removes its -wal and -shm files).
    """

    def __init__(self, conn: CaseConnection | None, office: Office) -> None:
        self._conn = conn
        self._office = office
        self._model: LearnedModel | None = None
        self._looked = False

    def model(self) -> LearnedModel | None:
        """The case file's model in use, if any."""
        if not self._looked:
            from jiesu.services.learning import current_model

            if self._conn is not None:
                self._model = current_model(self._conn, self._office.db)
            else:
                engine = create_case_engine(self._office.db)
                try:
                    with transaction(engine, write=False) as conn:
                        self._model = current_model(conn, self._office.db)
                finally:
                    engine.dispose()
            self._looked = True
        return self._model

    def suggest(self, *, title: str, content: str, street: str | None) -> Suggestion | None:
        """The suggestion for one request, or None without a model."""
        from jiesu.services.learning import request_text

        model = self.model()
        return None if model is None else model.suggest(request_text(title, content), street)

    def hear(
        self,
        decision: Decision,
        *,
        title: str,
        content: str,
        at: datetime,
        urgent: bool,
        exclude: frozenset[str] = frozenset(),
    ) -> Decision:
        """The rules' decision, with the suggestion heard where no rule matched (see
        domain.dispatching.with_suggestion)."""
        if not self._office.rules.learn.suggest or decision.by_rule or decision.outcome is Outcome.REFER:
            return decision
        suggestion = self.suggest(title=title, content=content, street=decision.located.street)
        return with_suggestion(self._office.rules, decision, suggestion, at=at, urgent=urgent, exclude=exclude)
