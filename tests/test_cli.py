"""Every command has help text and is documented in the README (a habit from sqlite-utils)."""

import re
from pathlib import Path

from typer.main import get_command
from typer.testing import CliRunner

from sitrep.cli import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(get_command(app).commands)


def test_the_commands_issues_ask_for_exist():
    assert {"extract", "places", "score", "eval", "ingest", "events", "brief", "map", "serve", "demo"} <= set(COMMANDS)


def test_every_command_has_help_and_is_in_the_readme():
    runner = CliRunner()
    for name in COMMANDS:
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, name
        assert len(result.output) > 80, name
        assert re.search(rf"`sitrep {name}\b", README), f"`sitrep {name}` is not documented in README.md"


def test_readme_first_screen_has_the_two_commands():
    first_screen = "\n".join(README.splitlines()[:25])
    assert "pip install -e . && sitrep demo" in first_screen
    assert "python -m pytest" in first_screen
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text()
    assert "python -m pytest -q" in ci and "python -m pytest -q" in first_screen
