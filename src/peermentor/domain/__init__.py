"""Pure domain rules: no web framework, no ORM, no clock that is not passed in."""
