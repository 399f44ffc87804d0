"""Fixtures of the fuzz suite: one case file template and the paths inputs may name, built once."""

from pathlib import Path

import pytest

from tests.fuzz.harness import CaseFileTemplate
from tests.fuzz.strategies import Places


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> CaseFileTemplate:
    return CaseFileTemplate(tmp_path_factory.mktemp("fuzz-case"))


@pytest.fixture(scope="module")
def places(tmp_path_factory: pytest.TempPathFactory) -> Places:
    return Places(Path(tmp_path_factory.mktemp("fuzz-places")))
