"""Use cases. Each takes the acting user and checks what that user may do; pages, API
and CLI are thin adapters over these functions."""
