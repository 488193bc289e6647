"""Demo data: a deterministic generator of realistic Auth0 tenant logs and the committed demo export.

Public API (see :mod:`auth0_logq.demo.generate` for the contract)::

    from auth0_logq.demo import generate_events, write_demo_export, SCENARIOS

    for event in generate_events(1000, seed=7):   # dicts shaped like GET /api/v2/logs objects
        ...
    write_demo_export(Path("fixtures/demo-tenant"))

The generator module is imported on first use so that ``python -m auth0_logq.demo.generate`` does not
import it twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .codes import CODES, EVENT_CODES, SEED_CODES, EventCode

if TYPE_CHECKING:
    from .generate import (DEMO_EVENT_COUNT, SCENARIOS, generate_events, scenario_facts, write_demo_export,
                           write_ndjson)

__all__ = [
    "CODES", "DEMO_EVENT_COUNT", "EVENT_CODES", "EventCode", "SCENARIOS", "SEED_CODES", "generate_events",
    "scenario_facts", "write_demo_export", "write_ndjson",
]

_LAZY = {"DEMO_EVENT_COUNT", "SCENARIOS", "generate_events", "scenario_facts", "write_demo_export", "write_ndjson"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from . import generate

        return getattr(generate, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
