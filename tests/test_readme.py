"""The README's shown command examples run and print what the README says they print."""

from __future__ import annotations

import re
import shlex

import pytest
from click.testing import CliRunner

from auth0_logq.cli.main import cli

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
# An example is an indented `$ logq ...` line followed by its indented output, up to a blank line.
EXAMPLES = re.findall(r"^    \$ (logq .+)\n((?:    .*\n)+)", README, flags=re.M)


def test_the_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 2


@pytest.mark.parametrize(("command", "shown"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_readme_example_prints_what_it_shows(command: str, shown: str) -> None:
    result = CliRunner().invoke(cli, shlex.split(command)[1:])
    printed = (result.stdout + result.stderr).splitlines()
    expected = [line[4:] for line in shown.splitlines()]
    assert len(printed) >= len(expected)
    for got, want in zip(printed, expected):
        if want.endswith("..."):
            assert got.startswith(want[:-3]), (got, want)
        else:
            assert got == want


def test_readme_starts_with_the_two_commands() -> None:
    commands = re.findall(r"^    (python3 -m pip install .+)$", README, flags=re.M)[:2]
    assert commands[0] == "python3 -m pip install -e . && logq demo"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci  # CI runs exactly the README's test command
