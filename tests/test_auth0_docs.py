"""Every example query in Auth0's log-search documentation, with what it means and whether Auth0
accepts it (sources: reference/auth0-logs.md §1.1, §1.2 and §1.5)."""

from __future__ import annotations

import pytest

from auth0_logq.engine import strict
from auth0_logq.engine.parser import parse
from auth0_logq.engine.printer import to_es_tree

D = "<default>"

# (query, structure, accepted by Auth0's log search)
DOC_EXAMPLES = [
    # the query-syntax page
    ("jane", f'Term({D},"jane")', True),
    ('"customer log"', f'Term({D},"customer log")', True),
    ('description:"Username invalid"', 'Term(description,"Username invalid")', True),
    ("user_name:john*", 'Prefix(user_name,"john")', True),
    ("user_name:j*", 'Prefix(user_name,"j")', True),
    ("date:[2018-12-18 TO *]", 'Range(date,["2018-12-18" TO *])', True),
    ("date:[* TO 2018-12-19}", 'Range(date,[* TO "2018-12-19"})', True),
    ("connection:*pass*", 'Wildcard(connection,"*pass*")', True),
    ("user_name:*fred*", 'Wildcard(user_name,"*fred*")', True),
    ('user_id:"123"', 'Term(user_id,"123")', True),
    ("type:s*", 'Prefix(type,"s")', True),
    ("user_name:jane*smith", 'Wildcard(user_name,"jane*smith")', True),
    ("date:[2018-12 TO 2019-01-01}", 'Range(date,["2018-12" TO "2019-01-01"})', True),
    ("date:[2018-12 TO 2018-01-01}", 'Range(date,["2018-12" TO "2018-01-01"})', True),  # the old typo
    ("date:[2018-12-10 TO *]", 'Range(date,["2018-12-10" TO *])', True),
    ("date:[2019-01-01T01:00:00 TO 2019-01-01T12:23:45}", 'Range(date,["2019-01-01T01:00:00" TO "2019-01-01T12:23:45"})', True),
    ("description:rule", 'Term(description,"rule")', True),
    ("description:*rule", 'Wildcard(description,"*rule")', True),
    # the v3 migration notes
    ("date:[2018-12-18 TO 2018-12-19]", 'Range(date,["2018-12-18" TO "2018-12-19"])', True),
    ("date:[2018-12-18 TO 2018-12-20}", 'Range(date,["2018-12-18" TO "2018-12-20"})', True),
    ("date:{2018-12-17 TO 2018-12-19]", 'Range(date,{"2018-12-17" TO "2018-12-19"])', True),
    ("user_id:auth0*", 'Prefix(user_id,"auth0")', True),
    ('details.request.channel:"https://manage.auth0.com/"', 'Term(details.request.channel,"https://manage.auth0.com/")', True),
    # other pages
    ("type:depnote AND description:*logs*", 'Bool(+Term(type,"depnote") +Wildcard(description,"*logs*"))', True),
    (
        "type:depnote AND description:*logs migration*",
        f'Bool(+Term(type,"depnote") +Wildcard(description,"*logs") Prefix({D},"migration"))',
        True,
    ),
    ("type:w AND description:*search_engine*", 'Bool(+Term(type,"w") +Wildcard(description,"*search_engine*"))', True),
    (
        "type:depnote AND description:ignore*request*host*header*",
        'Bool(+Term(type,"depnote") +Wildcard(description,"ignore*request*host*header*"))',
        True,
    ),
    ("type:depnote AND description:*Admin*", 'Bool(+Term(type,"depnote") +Wildcard(description,"*Admin*"))', True),
    (
        "type:depnote AND description:*Unpaginated* AND details.size_exceeded:true",
        'Bool(+Term(type,"depnote") +Wildcard(description,"*Unpaginated*") +Term(details.size_exceeded,"true"))',
        True,
    ),
    ('type:"fu"', 'Term(type,"fu")', True),
    ('description:"missing username parameter"', 'Term(description,"missing username parameter")', True),
    ('description:"Wrong email or password"', 'Term(description,"Wrong email or password")', True),
    ('type:"limit_wc"', 'Term(type,"limit_wc")', True),
    ('type:"pwd_leak"', 'Term(type,"pwd_leak")', True),
    ('type:"s" AND ip:"99.xxx.xxx.xxx"', 'Bool(+Term(type,"s") +Term(ip,"99.xxx.xxx.xxx"))', True),
    ('user_id:"auth0|ABC123"', 'Term(user_id,"auth0|ABC123")', True),
    ('type:"sapi"', 'Term(type,"sapi")', True),
    ("type:f", 'Term(type,"f")', True),
    ("log_id:[90020211201185132572079310688835925971249535794074878050 TO *]",
     'Range(log_id,["90020211201185132572079310688835925971249535794074878050" TO *])', True),
    ("type:a OR type:b", 'Bool(Term(type,"a") Term(type,"b"))', True),
    # the v2 -> v3 rewrite table: the left side is what v3 no longer documents
    ("user_id:>=2018-01-15", 'Range(user_id,["2018-01-15" TO *])', False),
    ('user_name.raw:"john richard doe"', 'Term(user_name.raw,"john richard doe")', False),
    # unknown field: Auth0's own error text
    ("user_email:jane@example.com", 'Term(user_email,"jane@example.com")', False),
]


@pytest.mark.parametrize(("query", "structure", "accepted"), DOC_EXAMPLES, ids=[e[0] for e in DOC_EXAMPLES])
def test_documented_example(query: str, structure: str, accepted: bool) -> None:
    parsed = parse(query)
    assert to_es_tree(parsed.query, default_field=D) == structure
    assert (strict.check(parsed) == ()) is accepted


@pytest.mark.parametrize(("query", "allowed"), [("name:*usa", True), ("name:*sa", False), ("name:*ri", False), ("name:*a", False), ("name:*ab*", False)])
def test_documented_wildcard_length_rule(query: str, allowed: bool) -> None:
    """`name:*usa` is allowed, `name:*sa` is not (the docs borrow a user-search field name)."""
    found = {v.code for v in strict.check(parse(query))}
    assert ("short_wildcard" not in found) is allowed


def test_auth0_unknown_field_error_text() -> None:
    (violation,) = strict.check(parse("user_email:jane@example.com"))
    assert violation.message == 'unknown field "user_email"'
