"""Management chains across the people a run leaves out.

The engine reads a reporting line from the records it is given, so a chain that runs
through someone outside the pool (a manager already in a live pairing, paused, or not
in this programme at all) would end there, and a person and their manager's manager
could be paired. Before a pool reaches the engine, a record whose manager is outside
it gets the nearest manager above who is inside it: every pair the engine then reads
as a reporting line is one in the people data, and nothing else changes (no score
reads manager_id).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from peermentor.domain.people import PersonRecord

Lookup = Callable[[Iterable[str]], dict[str, str | None]]


def bridge_chains(pool: Sequence[PersonRecord], managers_of: Lookup) -> list[PersonRecord]:
    """`pool` with each manager outside it replaced by the nearest one above inside it
    (or left as it is when nobody above is). `managers_of` answers a set of employee
    ids with their managers; it is asked once per management level that is missing,
    and not at all when every manager is in the pool (a first match)."""
    inside = {p.employee_id for p in pool}
    outside: dict[str, str | None] = {}
    wanted = {p.manager_id for p in pool if p.manager_id and p.manager_id not in inside}
    while wanted:
        found = managers_of(wanted)
        for e in wanted:
            outside[e] = found.get(e)
        wanted = {m for m in found.values() if m and m not in inside and m not in outside}
    if not outside:
        return list(pool)
    bridged = []
    for p in pool:
        above = p.manager_id
        seen = {p.employee_id}
        while above and above not in inside and above not in seen:  # loops in HR data end
            seen.add(above)
            above = outside.get(above)
        if above and above in inside and above != p.manager_id and above != p.employee_id:
            p = replace(p, manager_id=above)
        bridged.append(p)
    return bridged
