"""Auth0's strict rules: what Auth0's log search refuses, on top of Elasticsearch's syntax."""

from __future__ import annotations

import pytest

from auth0_logq.engine import fields, strict
from auth0_logq.engine.errors import StrictModeError
from auth0_logq.engine.parser import parse


def codes(query: str) -> list[str]:
    return [v.code for v in strict.check(parse(query))]


def test_field_table_matches_auth0_documentation() -> None:
    assert len(fields.FIELDS) == 16
    assert set(fields.DEFAULT_FIELDS) == {"client_name", "connection", "description", "ip", "log_id", "type", "user_name"}
    assert [f.name for f in fields.FIELDS if f.kind is fields.FieldKind.DATE] == ["date"]


@pytest.mark.parametrize(
    "query",
    [
        "type:fp",
        'user_id:"auth0|ABC123"',
        "user_name:j*",
        "user_name:*usa",
        "connection:*pass*",
        "user_name:jane*smith",
        "date:[2018-12-18 TO *]",
        "date:[* TO 2018-12-19}",
        "type:depnote AND description:*logs*",
        "details.request.channel:\"https://manage.auth0.com/\"",
        "type:fp AND NOT ip:1.2.3.4",
        "(type:fp OR type:fu) AND user_name:bob",
        "fp",
        "",
    ],
)
def test_accepted(query: str) -> None:
    assert codes(query) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("user_email:jane@example.com", ["unknown_field"]),
        ("te?t", ["question_mark", "short_wildcard"]),
        ("user_name:te?tuser", ["question_mark"]),
        ("user_name:*sa", ["short_wildcard"]),
        ("user_name:*ab*", ["short_wildcard"]),
        ("user_name:/jo.*/", ["regex"]),
        ("user_name:jon~", ["fuzzy"]),
        ('description:"a b"~2', ["proximity"]),
        ("type:fp^2", ["boost"]),
        ("_exists_:user_id", ["exists"]),
        ("user_id:*", ["exists"]),
        ("date:>=2024-01-01", ["comparison"]),
        ("*:*", ["match_all"]),
        ("details.\\*:x", ["field_pattern"]),
        ("+type:fp", ["plus"]),
        ("type:fp -ip:1.2.3.4", ["minus"]),
        ("type:fp && ip:1.2.3.4", ["ampersands"]),
        ("type:fp || ip:1.2.3.4", ["pipes"]),
        ("!type:fp", ["bang"]),
    ],
)
def test_refused(query: str, expected: list[str]) -> None:
    assert codes(query) == expected


def test_unknown_field_uses_auth0_wording_and_points_at_the_field() -> None:
    (violation,) = strict.check(parse("type:fp AND user_email:x"))
    assert violation.message == 'unknown field "user_email"'
    assert violation.column == len("type:fp AND ")
    assert violation.length == len("user_email")


def test_unknown_field_inside_a_field_group() -> None:
    assert codes("email:(a OR b)") == ["unknown_field"]


def test_enforce_raises_a_query_error_with_caret() -> None:
    with pytest.raises(StrictModeError) as info:
        strict.enforce(parse("user_email:x"))
    assert "^" in info.value.render()
