"""`jiesu`'s commands are built when named (cli.common.LazyCommands): the table of names, modules and
one-line helps in cli/__init__.py must be what the command modules define, and listing the commands
(`jiesu --help`, completing a command's name) must build none of them and show what the commands
built eagerly show."""

import importlib
import pkgutil

import pytest
import typer.main
import typer.testing
from typer.testing import CliRunner

import jiesu.cli
from jiesu.cli import COMMANDS, app
from jiesu.cli.help_zh import HELP_ZH
from jiesu.cli.languages import first_paragraph, summary

WIDE = {"COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}


def command_modules() -> dict[str, typer.Typer]:
    """Every module of jiesu.cli that defines commands (an `app` of its own), by its name."""
    found = {}
    for module in pkgutil.iter_modules(jiesu.cli.__path__):
        loaded = importlib.import_module(f"jiesu.cli.{module.name}")
        if isinstance(getattr(loaded, "app", None), typer.Typer):
            found[module.name] = loaded.app
    return found


def eager_commands() -> dict[str, typer.main.TyperCommand]:
    """The root's commands built the eager way: every module's app added to one Typer app, in the
    order the table names the modules, and built all at once."""
    modules = command_modules()
    eager = typer.Typer()
    for name in dict.fromkeys(entry.module for entry in COMMANDS):
        eager.add_typer(modules[name])
    return dict(typer.main.get_group(eager).commands)


def fresh_root(monkeypatch):
    """A newly built root command that the test runner invokes (typer's runner builds one per run)."""
    root = typer.main.get_command(app)
    monkeypatch.setattr(typer.testing, "_get_command", lambda _app: root)
    return root


def test_the_table_names_every_command_of_every_module_in_order_with_its_help():
    modules = command_modules()
    assert set(modules) == {entry.module for entry in COMMANDS}, "a module with commands is missing from COMMANDS"
    defined_in = {name: module for module, sub in modules.items() for name in typer.main.get_group(sub).commands}
    eager = eager_commands()
    built = [(name, defined_in[name], first_paragraph(command.help or "")) for name, command in eager.items()]
    table = "\n".join(f"    LazyCommand{entry!r}," for entry in built)
    assert built == [tuple(entry) for entry in COMMANDS], f"COMMANDS in cli/__init__.py should read:\n{table}"


def test_the_table_lists_the_chinese_help_of_every_command():
    for name, command in eager_commands().items():
        entry = next(entry for entry in COMMANDS if entry.name == name)
        assert summary(entry.summary, "zh") == first_paragraph(HELP_ZH[command.help or ""]), name


def test_the_commands_listed_by_name_and_help_alone_have_nothing_else_to_list():
    """The stand-ins a list shows carry a name and a help: no command may have a short help, a help
    panel of its own, be hidden or deprecated, or the list would show it differently."""
    for name, command in eager_commands().items():
        assert not (command.short_help or command.hidden or command.deprecated), name
        assert not getattr(command, "rich_help_panel", None), name


def test_a_command_built_when_named_is_the_one_built_eagerly():
    eager = eager_commands()
    root = typer.main.get_command(app)
    for name in root.commands:
        lazy, known = root.commands[name], eager[name]

        def shape(command):
            params = [(type(p), p.name, p.opts, p.help, p.default, p.required) for p in command.params]
            subcommands = {sub: shape(c) for sub, c in getattr(command, "commands", {}).items()}
            return type(command), command.name, command.help, command.no_args_is_help, params, subcommands

        assert shape(lazy) == shape(known), name


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_help_lists_every_command_without_building_one(monkeypatch, lang):
    lazy = fresh_root(monkeypatch)
    listed = CliRunner(env=WIDE | {"JIESU_LANG": lang}).invoke(app, ["--help"], prog_name="jiesu")
    assert listed.exit_code == 0, listed.output
    assert lazy.lazy.built == {}
    built = fresh_root(monkeypatch)
    assert len(list(built.commands.values())) == len(COMMANDS)  # every command built, as before
    eager = CliRunner(env=WIDE | {"JIESU_LANG": lang}).invoke(app, ["--help"], prog_name="jiesu")
    assert listed.stdout == eager.stdout
    assert all(f" {entry.name} " in listed.stdout for entry in COMMANDS)


def test_completing_a_command_name_builds_none_and_completing_its_options_builds_it(monkeypatch):
    env = WIDE | {"JIESU_LANG": "en", "_JIESU_COMPLETE": "complete_zsh"}
    root = fresh_root(monkeypatch)
    names = CliRunner(env=env | {"_TYPER_COMPLETE_ARGS": "jiesu d"}).invoke(app, [], prog_name="jiesu")
    assert '"dispatch":"(Re)apply the rules to pending tickets..."' in names.stdout
    assert '"demo":"A month in a district office in one..."' in names.stdout
    assert root.lazy.built == {}
    options = CliRunner(env=env | {"_TYPER_COMPLETE_ARGS": "jiesu dispatch --u"}).invoke(app, [], prog_name="jiesu")
    assert '"--unit":"Dispatch by hand to this lead unit (its code or name)."' in options.stdout
    assert list(root.lazy.built) == ["dispatch"]


def test_an_unknown_command_is_refused_with_suggestions_and_nothing_built(monkeypatch):
    root = fresh_root(monkeypatch)
    result = CliRunner(env=WIDE | {"JIESU_LANG": "en"}).invoke(app, ["dispach"], prog_name="jiesu")
    assert result.exit_code == 2
    said = "Error: No such command 'dispach'. Did you mean 'dispatch', 'search'? (see `jiesu -h`)"
    assert result.stderr.strip() == said
    assert root.lazy.built == {}


def test_a_command_run_builds_only_itself(monkeypatch, tmp_path):
    root = fresh_root(monkeypatch)
    result = CliRunner(env=WIDE | {"JIESU_LANG": "en"}).invoke(
        app, ["--db", str(tmp_path / "case.db"), "units", "--format", "json"], prog_name="jiesu"
    )
    assert result.exit_code == 0, result.output
    assert list(root.lazy.built) == ["units"]
