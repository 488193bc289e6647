"""The `logq` command line, through click's CliRunner."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from auth0_logq.cli.main import cli


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_help_lists_the_commands(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    for command in ("explain", "check"):
        assert command in result.output


@pytest.mark.parametrize("command", ["explain", "check"])
def test_every_command_has_help_with_an_example(runner: CliRunner, command: str) -> None:
    result = runner.invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output


def test_explain_shows_every_section(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["explain", 'type:fp AND NOT ip:"203.0.113.7"'])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "lucene:     +type:fp -ip:203.0.113.7" in out
    assert "meaning:" in out and 'type is exactly "fp"' in out and "none of:" in out
    assert "ast:" in out and "MUST_NOT" in out
    assert "auth0 strict check: accepted" in out


def test_explain_shows_warnings_and_strict_problems(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["explain", "a AND b OR user_email:x"])
    assert result.exit_code == 0
    assert "warnings:" in result.output and "no precedence" in result.output
    assert 'unknown field "user_email"' in result.output


def test_explain_json(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["explain", "--json", "type:s*"])
    data = json.loads(result.output)
    assert data["ok"] is True
    assert data["lucene"] == "type:s*"
    assert data["auth0_accepts"] is True


def test_explain_with_default_operator_and(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["explain", "--default-operator", "AND", "a OR b c"])
    assert "lucene:     a b +c" in result.output


def test_bad_query_exits_2_with_caret_on_stderr(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["explain", "user_name:"])
    assert result.exit_code == 2
    assert "expected a value after ':'" in result.stderr
    assert "  user_name:\n            ^" in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_check_accepts(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check", "type:fp AND user_name:jane*"])
    assert result.exit_code == 0
    assert "accepts" in result.output


def test_check_refuses_with_auth0_wording(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check", "user_email:jane@example.com"])
    assert result.exit_code == 1
    assert 'unknown field "user_email"' in result.stderr
    assert "^~~~~~~~~~" in result.stderr


def test_check_json(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check", "--json", "user_name:*sa OR te?t"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["ok"] is False
    assert [v["code"] for v in data["violations"]] == ["short_wildcard", "question_mark", "short_wildcard"]


def test_check_json_on_a_syntax_error(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["check", "--json", "a AND"])
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data["ok"] is False and data["error"]["column"] == 5


def test_db_defaults_to_env_var(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOGQ_DB", "/tmp/elsewhere.db")
    seen = {}

    @cli.command("_db_probe", hidden=True)
    def probe() -> None:
        import click

        seen["db"] = click.get_current_context().obj["db"]

    try:
        assert runner.invoke(cli, ["_db_probe"]).exit_code == 0
    finally:
        cli.commands.pop("_db_probe")
    assert seen["db"] == "/tmp/elsewhere.db"
