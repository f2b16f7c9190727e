import pytest

from peermentor.domain import closing as cl
from peermentor.domain import lifecycle as lc
from peermentor.domain.errors import InvalidTransition, NotAMember, NotReady
from peermentor.domain.lifecycle import PairingState
from tests.unit.domain.personas import ANA, KIM, LEE, NOW, OUTSIDER, PAIR, TRIAD, later


def active(members: tuple[str, ...] = PAIR) -> lc.Pairing:
    p = lc.propose("p1", members, NOW)
    for m in members:
        p = lc.accept(p, m, NOW)
    return p


def reflected(p: lc.Pairing, *choices: str) -> cl.Closing:
    c = cl.start_closing(p)
    for member, choice in zip(p.members, choices, strict=True):
        c = cl.reflect(p, c, member, f"{member} learnt a lot", choice, later(days=90))
    return c


def test_pairing_renews_when_everyone_chooses_to_renew() -> None:
    p = active()
    renewed = cl.close(p, reflected(p, "renew", "renew"), later(days=90))
    assert (renewed.state, renewed.cycle) == (PairingState.ACTIVE, 2)


def test_one_member_choosing_to_complete_completes_the_pairing() -> None:
    p = active(TRIAD)
    done = cl.close(p, reflected(p, "renew", "complete", "renew"), later(days=90))
    assert done.state is PairingState.COMPLETED


def test_cannot_close_before_every_member_has_reflected() -> None:
    p = active(TRIAD)
    c = cl.reflect(p, cl.start_closing(p), ANA, "good", "complete", NOW)
    assert c.outcome is None and c.waiting_for == (KIM, LEE)
    with pytest.raises(NotReady, match="kim, lee"):
        cl.close(p, c, NOW)


def test_rewriting_a_reflection_replaces_the_choice() -> None:
    p = active()
    c = reflected(p, "complete", "renew")
    c = cl.reflect(p, c, ANA, "changed my mind", "renew", NOW)
    assert c.outcome is cl.Choice.RENEW and len(c.reflections) == 2


def test_outsider_cannot_reflect() -> None:
    p = active()
    with pytest.raises(NotAMember):
        cl.reflect(p, cl.start_closing(p), OUTSIDER, "x", "complete", NOW)


def test_closing_of_an_earlier_cycle_cannot_close_the_new_one() -> None:
    p = active()
    old = reflected(p, "renew", "renew")
    renewed = cl.close(p, old, NOW)
    with pytest.raises(NotReady, match="earlier cycle"):
        cl.close(renewed, old, NOW)


def test_one_member_can_ask_for_a_rematch_from_active_or_paused() -> None:
    assert cl.request_rematch(active(), KIM, NOW, "no chemistry").returns_members_to_pool
    paused = lc.pause(active(), ANA, NOW)
    assert cl.request_rematch(paused, ANA, NOW).state is PairingState.DISSOLVED


@pytest.mark.parametrize("state", ["proposed", "completed", "dissolved"])
def test_closing_and_rematch_are_refused_outside_active_or_paused(state: str) -> None:
    p = lc.propose("p1", PAIR, NOW)
    if state == "completed":
        p = lc.complete(active(), NOW)
    if state == "dissolved":
        p = lc.decline(p, KIM, NOW)
    with pytest.raises(InvalidTransition, match=state):
        cl.start_closing(p)
    with pytest.raises(InvalidTransition, match=state):
        cl.request_rematch(p, ANA, NOW)
