"""A participant finds their account page in the nav and downloads their data, in a
real browser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.a11y import check_page
from tests.e2e.conftest import Server

pytestmark = pytest.mark.e2e


def test_a_participant_downloads_their_data_from_the_account_page(
    page: Page, server: Server, artifacts_dir: Path
) -> None:
    email, password, name = server.peers[0]
    page.goto(server.url + "login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("navigation", name="Account").get_by_role("link", name="Account").click()
    expect(page).to_have_title("Your account · peermentor")
    shots = artifacts_dir / "account"
    shots.mkdir(exist_ok=True)
    check_page(page, shots, "your account")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download my data").click()
    download = info.value
    assert download.suggested_filename == "my-peermentor-data.json"
    doc = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert doc["person"]["name"] == name and doc["account"]["email"] == email
    assert doc["pairings"], "a demo peer is in a pairing"
