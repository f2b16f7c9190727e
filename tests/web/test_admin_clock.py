"""The admin and account pages read the injected clock (the `now` dependency), never
the machine's: moving the test clock moves what they date and when links expire."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from peermentor.demo_org import demo_people_csv
from peermentor.services.auth import INVITATION_LIFETIME
from tests.web.clock import Clock, moving_clock  # noqa: F401 (the fixture)
from tests.web.conftest import ADMIN, PEER, sign_in
from tests.web.test_admin_pages import create_programme, upload


def test_my_data_is_dated_by_the_clock_of_the_request(client: TestClient, clock: Clock) -> None:
    clock.move(days=3)
    sign_in(client, *PEER)
    document = client.get("/account/data.json").json()
    assert document["exported_at"] == clock.now.isoformat()


def test_invitation_links_expire_by_the_clock_they_were_made_with(
    client: TestClient, clock: Clock
) -> None:
    csrf = sign_in(client, *ADMIN)
    program_id = create_programme(client, csrf)
    upload(client, csrf, program_id, demo_people_csv(6, seed=6))
    page = client.post(f"/admin/programs/{program_id}/invitations", data={"csrf_token": csrf})
    token = re.findall(r"<code>https?://[^<]+/invite/([^<]+)</code>", page.text)[0]
    assert client.get(f"/invite/{token}").status_code == 200
    clock.move(days=INVITATION_LIFETIME.days, hours=1)
    assert client.get(f"/invite/{token}").status_code == 404
