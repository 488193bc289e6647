"""The `logq demo` tour: real forensic searches over the demo tenant, as data.

Each stop is a question a responder asks during the incidents scripted in the demo tenant
(`fixtures/README.md`), the Auth0 query that answers it, and what to look for in the answer.
The CLI builds the mirror, runs each query through the same search API as `logq search`, and
prints the answers; nothing here prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Stop:
    title: str
    query: str
    note: str
    show: int = 5  # how many matching logs to print (newest first)


TOUR: tuple[Stop, ...] = (
    Stop(
        "Credential stuffing: failed logins from the three attacking IPs",
        'type:(fu OR fp) AND ip:("203.0.113.7" OR "198.51.100.23" OR "2001:db8:7a3c:1f00::51")',
        "300 failures in 20 minutes against 153 user names: a spray, not a forgotten password.",
        show=3,
    ),
    Stop(
        "...and what Auth0's protections did about it",
        "type:limit_wc OR type:limit_mu",
        "Brute-force protection blocked two accounts; suspicious-IP throttling blocked each IP.",
    ),
    Stop(
        "Did the bot get past a password? MFA pushes the user rejected",
        "type:gd_auth_rejected",
        "Ken rejected four pushes from his own phone: the attacker had his password.",
    ),
    Stop(
        "Logins with breached passwords",
        "type:pwd_leak OR type:reset_pwd_leak OR type:signup_pwd_leak",
        "Breached password detection, at login, reset and signup.",
    ),
    Stop(
        "Management API changes from an IP that is not the office",
        'type:(sapi OR mgmt_api_read) AND NOT ip:("192.0.2.10" OR "192.0.2.11") AND NOT client_name:"Acme Provisioning"',
        "A night-time session from Reykjavik read a client secret, patched a client, granted a role "
        "and deleted a log stream.",
    ),
    Stop(
        "Every role change, by request path (a JSON path inside details)",
        "type:sapi AND details.request.path:*roles*",
        "details.* paths are searchable offline; wildcards match the whole value.",
    ),
    Stop(
        "Account takeover: one user's failures and successes that evening",
        'user_name:"zoë.müller@example.com" AND date:[2026-11-11T20:00 TO 2026-11-12} AND type:(fp OR s OR sce)',
        "Three wrong passwords from Vietnam, then a success, then an email change.",
    ),
    Stop(
        "Deprecation notices that need action",
        "type:depnote AND details.size_exceeded:true",
        "Booleans in details compare as true/false.",
    ),
    Stop(
        "The trap: AND and OR have no precedence",
        "type:fp AND ip:203.0.113.7 OR type:fu",
        "This means +type:fp +ip:203.0.113.7 type:fu: the OR clause is optional. logq warns and "
        "returns what Auth0 returns.",
        show=0,
    ),
)


def fixture_dir() -> Path | None:
    """The committed demo export, when running from a checkout."""
    candidate = Path(__file__).resolve().parents[2] / "fixtures" / "demo-tenant"
    return candidate if (candidate / "tenant-logs.ndjson").exists() else None


def demo_files(workdir: Path) -> list[Path]:
    """The export files to import: the committed fixture, or a fresh identical generation."""
    root = fixture_dir()
    if root is None:
        from .generate import write_demo_export

        root = workdir / "demo-tenant"
        write_demo_export(root)
    return [root / "tenant-logs.ndjson", *sorted((root / "mgmt-api").glob("*.json"))]
