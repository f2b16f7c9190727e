"""Every page, looked at: the demo's admin and two of its participants (one of a
proposed pairing, one of an active pairing with a history) follow every
link from the start page, at desktop and phone widths. Each page answers below 400,
passes axe-core, does not scroll sideways on a phone, and is saved as a full-page
screenshot under test-artifacts/every-page/<role>-<width>/<shape>.png.

Pages are kept one per shape (numbers in the path become {id}), so a list of 300
people costs one visit, not 300. Links that download, sign out or change something
are not followed.
"""

from __future__ import annotations

import re
import sqlite3
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from peermentor.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, DEMO_PARTICIPANT_PASSWORD
from tests.e2e.a11y import axe_problems
from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e
WIDTHS = {1280: {"width": 1280, "height": 800}, 390: {"width": 390, "height": 844}}
# Every impact axe-core knows: a page a new user meets should have none.
EVERY_IMPACT = ("minor", "moderate", "serious", "critical")
# Not pages to look at: downloads, feeds, signing out, one-time links that act when
# opened, and the API's own documentation (Swagger UI and ReDoc are not our pages).
SKIPPED = re.compile(
    r"(/logout|/download|\.csv$|\.ics$|\.json$|^/calendar/|^/mail/unsubscribe/|^/invite/"
    r"|^/api/|^/docs|^/redoc|^/static/)"
)
# Enough for every page of the demo; a crawl that grows past it has lost its way.
MOST_SHAPES = 80

# The elements that stick out past the right edge of the window, outermost first:
# each one whose parent still fits is where the overflow starts. Anything inside a
# scrolling box is left out, since that box scrolls instead of the page.
STICKING_OUT = """
() => {
  const edge = window.innerWidth + 1;
  const scrolls = (el) => {
    for (let up = el.parentElement; up; up = up.parentElement) {
      const x = getComputedStyle(up).overflowX;
      if (x === "auto" || x === "scroll" || x === "hidden") return true;
    }
    return false;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    [...el.classList].map((c) => "." + c).join("");
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const right = el.getBoundingClientRect().right;
    if (right <= edge || scrolls(el)) continue;
    const parent = el.parentElement;
    if (parent && parent !== document.body && parent.getBoundingClientRect().right > edge) continue;
    const text = (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 40);
    out.push(`${name(el)} to ${Math.round(right)}px "${text}"`);
  }
  return out.slice(0, 6);
}
"""


def shape_of(path: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/{id}", path) or "/"


def file_name(shape: str) -> str:
    return re.sub(r"[^a-z0-9{}]+", "-", shape.lower()).strip("-").replace("{id}", "id") or "home"


def sign_in(browser: Browser, server: Server, width: int, email: str, password: str) -> Page:
    page = browser.new_context(viewport=WIDTHS[width]).new_page()
    page.goto(server.url + "login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    # Signed in, or the crawl would look at the login page only and say so obscurely.
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    return page


def links_on(page: Page, origin: str) -> list[str]:
    hrefs: list[str] = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    found = []
    for href in hrefs:
        url = urldefrag(href).url
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != origin or SKIPPED.search(parts.path):
            continue
        # One page per shape: the query (a page number, a filter) is the same page.
        found.append(f"{origin}{parts.path}")
    return found


def look_at(page: Page, url: str, width: int, shots: Path) -> list[str]:
    """Open one page and say what is wrong with it (nothing: an empty list)."""
    problems = []
    answer = page.goto(url)
    status = answer.status if answer else 0
    if status >= 400:
        problems.append(f"answers {status}")
    path = urlsplit(page.url).path
    page.screenshot(path=str(shots / f"{file_name(shape_of(path))}.png"), full_page=True)
    problems += axe_problems(page, EVERY_IMPACT)
    if width < 600:
        wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if wide > 1:
            problems.append(
                f"scrolls sideways by {wide}px: " + ", ".join(page.evaluate(STICKING_OUT))
            )
    return problems


def crawl_and_look(
    page: Page, start: str, width: int, shots: Path
) -> tuple[list[str], dict[str, list[str]]]:
    """Every page reachable by links from `start`, one per shape, each looked at."""
    origin = start.rstrip("/")
    seen: dict[str, str] = {}
    queue = deque([start])
    problems: dict[str, list[str]] = {}
    while queue and len(seen) < MOST_SHAPES:
        url = queue.popleft()
        shape = shape_of(urlsplit(url).path)
        if shape in seen:
            continue
        seen[shape] = url
        found = look_at(page, url, width, shots)
        # Redirects (the start page to a role's home, say) land on a page of another shape.
        seen.setdefault(shape_of(urlsplit(page.url).path), page.url)
        if found:
            problems[url] = found
        queue.extend(u for u in links_on(page, origin) if shape_of(urlsplit(u).path) not in seen)
    return list(seen.values()), problems


def busiest_active_member(database: Path) -> str:
    """The email of a member of the demo's active pairing with the most check-ins, so
    the pages are seen full (tables of check-ins, sessions, requests), not only empty.
    Only accounts with the demo's password: an invitation sent by another test makes
    accounts that have none yet."""
    with sqlite3.connect(database) as db:
        row = db.execute(
            "SELECT u.email FROM users u"
            " JOIN pairing_members m ON m.person_id = u.person_id"
            " JOIN pairings p ON p.id = m.pairing_id"
            " WHERE p.state = 'active' AND u.password_hash IS NOT NULL AND u.is_active"
            " ORDER BY (SELECT count(*) FROM checkins c WHERE c.pairing_id = p.id) DESC, u.email"
            " LIMIT 1"
        ).fetchone()
    assert row, "the demo has no account in an active pairing"
    return str(row[0])


def role_accounts(server: Server, role: str) -> tuple[str, str]:
    if role == "admin":
        return DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
    if role == "participant":  # the demo's pair, their pairing proposed
        email, password, _ = server.peers[0]
        return email, password
    return busiest_active_member(server.database), DEMO_PARTICIPANT_PASSWORD


@pytest.mark.parametrize("role", ["admin", "participant", "active-participant"])
def test_every_page_at_desktop_and_phone_width(
    browser: Browser, server: Server, artifacts_dir: Path, role: str
) -> None:
    email, password = role_accounts(server, role)
    report: list[str] = []
    visited: list[str] = []
    for width in WIDTHS:
        shots = artifacts_dir / "every-page" / f"{role}-{width}"
        shots.mkdir(parents=True, exist_ok=True)
        page = sign_in(browser, server, width, email, password)
        try:
            if not visited:
                visited, problems = crawl_and_look(page, server.url, width, shots)
            else:
                # The same pages at the second width: what was found is not crawled again.
                problems = {}
                for url in visited:
                    if found := look_at(page, url, width, shots):
                        problems[url] = found
        finally:
            page.context.close()
        report += [f"{width}px {url}: {p}" for url, found in problems.items() for p in found]
    shapes = {shape_of(urlsplit(url).path) for url in visited}
    assert len(shapes) >= (10 if role == "admin" else 8), f"too few pages found: {sorted(shapes)}"
    assert not report, f"{len(report)} problems as {role}:\n" + "\n".join(report)


def test_a_wide_table_on_a_phone_is_cards_with_script_and_scrolls_without(
    browser: Browser, server: Server
) -> None:
    email, password, _ = server.peers[0]
    for script in (True, False):
        context = browser.new_context(viewport=WIDTHS[390], java_script_enabled=script)
        page = context.new_page()
        try:
            page.goto(server.url + "login")
            page.get_by_label("Email").fill(email)
            page.get_by_label("Password").fill(password)
            page.get_by_role("button", name="Sign in").click()
            page.get_by_role("heading", level=2).get_by_role("link").first.click()
            page.get_by_role("navigation", name="This pairing").get_by_role(
                "link", name="Requests"
            ).click()
            table = page.get_by_role("table", name="Requests in each direction")
            if script:
                expect(table).to_have_class(re.compile(r"\bas-cards\b"))
                expect(table.locator("tbody td").first).to_have_attribute("data-label", "From")
            else:
                expect(table).not_to_have_class(re.compile(r"\bas-cards\b"))
                # The box around the table scrolls; the page does not.
                box = page.locator(".scroll:has(> table)").first
                assert box.evaluate("b => b.scrollWidth > b.clientWidth")
            wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert wide <= 1, f"scrolls sideways by {wide}px with script {script}"
        finally:
            context.close()


def test_an_error_page_on_a_phone_keeps_the_header_with_a_way_out(
    browser: Browser, server: Server, artifacts_dir: Path
) -> None:
    email, password, _ = server.peers[0]
    page = sign_in(browser, server, 390, email, password)
    try:
        answer = page.goto(server.url + "pairings/2147483647")
        assert answer is not None and answer.status == 404
        expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
        account = page.get_by_role("navigation", name="Account")
        expect(account).to_contain_text(email)
        expect(account.get_by_role("button", name="Sign out")).to_be_in_viewport()
        expect(page.get_by_role("link", name="Back to the start page")).to_be_visible()
        shots = artifacts_dir / "every-page" / "participant-390"
        shots.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shots / "error-404.png"), full_page=True)
        assert not axe_problems(page, EVERY_IMPACT)
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    finally:
        page.context.close()
