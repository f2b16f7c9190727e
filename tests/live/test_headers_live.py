"""Issue 9, findings 4 and 5 against the real server: the headers reach the browser
through uvicorn (pages, errors, docs, static files), and `peermentor serve` believes no
forwarded header by default (uvicorn alone would trust X-Forwarded-For from 127.0.0.1)."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from tests.live.server import running_server

FORGED = "203.0.113.66"


def test_the_real_server_sends_the_security_headers_and_ignores_forged_addresses(
    tmp_path: Path,
) -> None:
    with running_server(f"sqlite:///{tmp_path / 'headers.db'}", tmp_path) as url:
        with httpx.Client(base_url=url) as browser:
            answers = {
                path: browser.get(path, headers={"x-forwarded-for": FORGED})
                for path in ("/login", "/no/such/page", "/docs", "/static/app.css", "/healthz")
            }
            docs_assets = re.findall(r'(?:src|href)="(/[^"]+)"', answers["/docs"].text)
            assert docs_assets and all(browser.get(a).status_code == 200 for a in docs_assets)
        log = (tmp_path / "server.log").read_text()
    assert answers["/no/such/page"].status_code == 404
    for path, answer in answers.items():
        policy = answer.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy, path
        assert re.search(r"script-src 'self' 'nonce-[\w-]+'(;|$)", policy), path
        assert answer.headers["x-frame-options"] == "DENY", path
        assert answer.headers["x-content-type-options"] == "nosniff", path
        assert answer.headers["referrer-policy"] == "no-referrer", path
        assert "server" not in answer.headers, path  # no product banner
        # Plain HTTP here (insecure cookies): HSTS would be wrong.
        assert "strict-transport-security" not in answer.headers, path
    assert answers["/login"].headers["cache-control"] == "no-store"
    assert "no-store" not in answers["/static/app.css"].headers.get("cache-control", "")
    # uvicorn's access log names the client address the app saw: never the forged one.
    assert "127.0.0.1:" in log and "GET /login" in log
    assert FORGED not in log
