"""Password hashing with argon2id (argon2-cffi's defaults follow RFC 9106), and the
rule a new password must meet: long enough, and not easy to guess (ASVS 6.2).

"Easy to guess" is zxcvbn's estimate: it knows common and breached passwords, names,
words, keyboard walks, dates and repeats, and says in plain words what is wrong, so
the form can tell the person why, not only that.
"""

from __future__ import annotations

from collections.abc import Iterable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn

from peermentor.services.access import InvalidInput

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024  # argon2 takes any length; a cap stops hashing megabytes
# zxcvbn's score 3: "safely unguessable", about 10^8 guesses or more.
MIN_STRENGTH = 3
# zxcvbn refuses longer input (its cost grows fast with length); the first 72
# characters are what a guesser must get right first anyway.
_ESTIMATED_LENGTH = 72


def check_password_policy(password: str, user_inputs: Iterable[str] = ()) -> None:
    """Refuse a password that is too short, too long, or easy to guess; `user_inputs`
    are words about the person (email, name) that make a password weak when used."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"password: at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(f"password: at most {MAX_PASSWORD_LENGTH} characters")
    words = [word for word in user_inputs if word][:20]
    estimate = zxcvbn(password[:_ESTIMATED_LENGTH], user_inputs=words)
    if estimate["score"] < MIN_STRENGTH:
        feedback = estimate["feedback"]
        reasons = [feedback.get("warning") or "This password is easy to guess."]
        reasons += feedback.get("suggestions", [])[:2]
        raise InvalidInput("password: too easy to guess. " + " ".join(reasons))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        # Spend the same time as a real check so timing does not reveal the account.
        _hasher.hash(password)
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
