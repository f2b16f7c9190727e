"""The kinds of mail, each a unit a person can stop, and which of them a weekly digest
may replace.

Whoever adds a kind of mail (a nudge, a calendar invite, a circle reminder) registers it
here with the words the account page shows; a kind not registered is still delivered and
can still be stopped from its own mail, it is only missing from the preferences form.
"""

from __future__ import annotations

INVITATION = "invitation"
PROPOSAL = "pairing.proposed"
RESPONSE = "pairing.response"
REQUEST = "guidance.request"
ANSWER = "guidance.answer"
FEEDBACK = "feedback.received"
CLOSING = "closing.reminder"
DIGEST = "digest"
ENDED_EARLY = "pairing.ended_early"
PARTNER_PAUSED = "pairing.partner_paused"
SIGNUP_DECIDED = "signup.decided"
SELF_MATCH_ASKED = "selfmatch.asked"
SELF_MATCH_ANSWERED = "selfmatch.answered"

# kind -> what the account page calls it.
KINDS: dict[str, str] = {
    PROPOSAL: "A new peer is proposed to you",
    RESPONSE: "Your partner accepts or declines",
    REQUEST: "Your partner asks you for guidance",
    ANSWER: "Your partner answers your request",
    FEEDBACK: "Feedback arrives for you",
    CLOSING: "Your cycle is coming to its end",
    DIGEST: "The weekly digest",
    "nudge.request_unanswered": "Reminder: a request from your partner waits for you",
    "nudge.request_still_unanswered": "Reminder: a request is still unanswered",
    "nudge.no_session": "Reminder: no session logged for a while",
    "nudge.roleplay_overdue": "Reminder: a role-play is past its date",
    "nudge.checkin_due": "Reminder: a check-in is due",
    "nudge.one_sided": "Reminder: your pairing gives more one way than the other",
    "nudge.proposal_unanswered": "Reminder: a proposed peer waits for your answer",
    "nudge.inactive": "Reminder: you have not been active for a while",
    "calendar.invite": "Calendar invites for your sessions and role-plays",
    "calendar.cancel": "Calendar cancellations",
    "circle.reminder": "Reminder: your circle's round is closing",
    "circle.feedback_arrived": "A colleague in your circle gave you feedback",
    "circle.feedback_released": "Your circle's anonymous feedback is released",
    ENDED_EARLY: "Your partner ends your pairing early",
    PARTNER_PAUSED: "Your partner takes a break",
    SIGNUP_DECIDED: "Your sign-up to a programme is approved or declined",
    SELF_MATCH_ASKED: "Someone asks you to be their peer",
    SELF_MATCH_ANSWERED: "Your request to be someone's peer is answered",
}

# An invitation is how a person gets in at all: it cannot be stopped.
NOT_STOPPABLE = frozenset({INVITATION})

# Kinds a weekly digest replaces for people who prefer it; time-critical ones (a proposal
# waiting for an answer, the end of a cycle) always come on their own.
DIGESTIBLE: set[str] = {RESPONSE, REQUEST, ANSWER, FEEDBACK}


_OTHER_LABELS = {INVITATION: "Invitation to set a password"}


def label(kind: str) -> str:
    known = KINDS.get(kind) or _OTHER_LABELS.get(kind)
    return known or kind.replace(".", ": ").replace("_", " ")


def stoppable(kind: str) -> bool:
    return kind not in NOT_STOPPABLE
