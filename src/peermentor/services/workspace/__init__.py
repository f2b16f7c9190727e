"""Use cases of the pairing workspace: what the members of a pairing do together.

Every use case takes `(session, actor, ..., now)`: the clock is passed in so that
"overdue" and "due" are decided by the caller's time, never read here. Access is
checked first (services.workspace.access), the domain decides, the store persists,
and the use case commits. Domain errors propagate unchanged for the API to map.
"""
