"""The admin's path through the pages: programme, upload, settings, match, review,
hand edits, publish, health."""

from __future__ import annotations

import html
import re
import time

from fastapi.testclient import TestClient

from peermentor.demo_org import demo_people_csv
from tests.web.conftest import ADMIN, PEER, csrf_of, sign_in


def create_programme(client: TestClient, csrf: str, name: str = "Spring 2027") -> int:
    response = client.post(
        "/admin/programs", data={"name": name, "csrf_token": csrf}, follow_redirects=False
    )
    assert response.status_code == 303
    return int(response.headers["location"].rsplit("/", 1)[1])


def upload(client: TestClient, csrf: str, program_id: int, text: str):  # type: ignore[no-untyped-def]
    return client.post(
        f"/admin/programs/{program_id}/people",
        data={"csrf_token": csrf},
        files={"file": ("people.csv", text.encode(), "text/csv")},
    )


def wait_for_job(client: TestClient, location: str) -> str:
    for _ in range(300):
        page = client.get(location).text
        if "Working:" not in page:
            return page
        time.sleep(0.1)
    raise AssertionError("the job did not finish")


def test_upload_reports_every_problem_then_accepts_the_fixed_file(client: TestClient) -> None:
    csrf = sign_in(client, *ADMIN)
    program_id = create_programme(client, csrf)
    good = demo_people_csv(30, seed=4)
    lines = good.splitlines()
    broken = lines[:]
    broken[3] = broken[3].replace("@example.com", "-at-example.com", 1)
    response = upload(client, csrf, program_id, "\n".join(broken) + "\n")
    assert response.status_code == 422
    assert "Nothing was imported" in response.text
    assert re.search(r"<td>4</td><td>email</td>", response.text)
    assert "0 people enrolled" in response.text
    response = upload(client, csrf, program_id, good)
    assert response.status_code == 200
    assert "Imported 30 people: 30 new" in response.text
    assert "30 people enrolled" in response.text


def test_run_match_review_swap_publish_and_health(client: TestClient) -> None:
    csrf = sign_in(client, *ADMIN)
    program_id = create_programme(client, csrf)
    upload(client, csrf, program_id, demo_people_csv(40, seed=6))
    started = client.post(
        f"/admin/programs/{program_id}/match", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert started.status_code == 303 and started.headers["location"].startswith("/admin/jobs/")
    done = wait_for_job(client, started.headers["location"])
    assert "Done." in done and "Proven upper bound" in done
    review = client.get(f"/admin/programs/{program_id}/review").text
    assert "Pairings, weakest first" in review and "Publish" in review
    # Every quality figure says in plain words what it means.
    for words in (
        "No matching of these people can score more than this.",
        "Two people who would both rather be with each other",
        "A quarter of pairings score below the first number",
        "score on this criterion alone reaches 0.5 of 1",
    ):
        assert words in html.unescape(review), words
    ids = re.findall(r"\((E\d{6}), ", review)
    assert len(ids) >= 4
    # A swap that breaks a hard rule is refused with the rule named; others go through.
    for first, second in zip(ids[::2], ids[3::2], strict=False):
        response = client.post(
            f"/admin/programs/{program_id}/swap",
            data={"first": first, "second": second, "csrf_token": csrf},
        )
        if response.status_code == 200:
            assert "locked" in response.text
            assert "Swapped and locked. The figures now are recomputed" in response.text
            break
        assert response.status_code == 422 and "hard rule" in response.text
    else:
        raise AssertionError("no swap went through")
    unticked = client.post(f"/admin/programs/{program_id}/publish", data={"csrf_token": csrf})
    assert unticked.status_code == 422 and "tick the box to confirm" in unticked.text
    assert "draft" in unticked.text and "Publish:" in unticked.text  # nothing went out
    published = client.post(
        f"/admin/programs/{program_id}/publish", data={"csrf_token": csrf, "confirm": "yes"}
    )
    assert published.status_code == 200 and "proposed" in published.text
    assert "Published: the members are asked to accept or decline." in published.text
    health = client.get(f"/admin/programs/{program_id}/health").text
    assert "Proposals waiting for an answer" in health
    assert re.search(r"Declined proposals whose people wait for a new peer</th><td>0<", health)
    assert "Not enough data yet" in health


def test_settings_are_saved_and_bad_ones_named(client: TestClient) -> None:
    csrf = sign_in(client, *ADMIN)
    program_id = create_programme(client, csrf)
    response = client.post(
        f"/admin/programs/{program_id}/settings",
        data={
            "csrf_token": csrf,
            "weight_two_way_value": "3",
            "forbid_same_team": "on",
            "odd_mode": "waitlist",
            "mode": "fair",
            "action": "save",
        },
    )
    assert response.status_code == 200 and "Settings saved" in response.text
    assert 'name="weight_two_way_value" type="number" step="0.1" min="0" value="3.0"' in (
        response.text
    )
    bad = client.post(
        f"/admin/programs/{program_id}/settings",
        data={"csrf_token": csrf, "weight_experience": "lots", "action": "save"},
    )
    assert bad.status_code == 422 and "weight of experience" in bad.text


def test_dry_run_stores_nothing(client: TestClient) -> None:
    csrf = sign_in(client, *ADMIN)
    program_id = create_programme(client, csrf)
    upload(client, csrf, program_id, demo_people_csv(20, seed=6))
    started = client.post(
        f"/admin/programs/{program_id}/settings",
        data={"csrf_token": csrf, "action": "dry-run", "odd_mode": "triad", "mode": "default"},
        follow_redirects=False,
    )
    done = wait_for_job(client, started.headers["location"])
    assert "Done." in done and "Total score" in done
    assert "beside run" not in done  # nothing stored yet to compare with
    assert "No pairings yet" in client.get(f"/admin/programs/{program_id}/review").text

    # After a stored run, a dry run with other weights is shown beside it.
    ran = client.post(
        f"/admin/programs/{program_id}/match", data={"csrf_token": csrf}, follow_redirects=False
    )
    wait_for_job(client, ran.headers["location"])
    again = client.post(
        f"/admin/programs/{program_id}/settings",
        data={
            "csrf_token": csrf,
            "action": "dry-run",
            "odd_mode": "triad",
            "mode": "default",
            "weight_two_way_value": "4",
        },
        follow_redirects=False,
    )
    compared = html.unescape(wait_for_job(client, again.headers["location"]))
    run_id = re.search(r"beside run (\d+) \(draft\), the last one stored", compared)
    assert run_id, compared
    assert f'<th scope="col">Run {run_id.group(1)}</th>' in compared
    row = re.search(
        r'<th scope="row">Pairings</th><td>(\d+) \(\d+ triads\)</td><td>(\d+) ', compared
    )
    assert row and int(row.group(1)) >= 8 and int(row.group(2)) >= 8, compared


def test_participant_is_refused_admin_pages(client: TestClient) -> None:
    sign_in(client, *PEER)
    for path in ("/admin/programs", "/admin/programs/1", "/admin/programs/1/review"):
        assert client.get(path).status_code == 403


def test_admin_form_without_csrf_is_refused(client: TestClient) -> None:
    sign_in(client, *ADMIN)
    response = client.post("/admin/programs", data={"name": "Sneaky"})
    assert response.status_code == 403
    assert "Sneaky" not in client.get("/admin/programs").text


def test_invitation_links_for_people_without_a_password(client: TestClient) -> None:
    csrf = sign_in(client, *ADMIN)
    program_id = create_programme(client, csrf)
    upload(client, csrf, program_id, demo_people_csv(12, seed=6))
    page = client.post(f"/admin/programs/{program_id}/invitations", data={"csrf_token": csrf}).text
    links = re.findall(r"<code>(https?://[^<]+/invite/[^<]+)</code>", page)
    assert 9 <= len(links) <= 12  # everyone but the opted-out
    token_page = client.get("/invite/" + links[0].split("/invite/", 1)[1])
    assert token_page.status_code == 200 and "Set a password" in token_page.text
    assert csrf_of(token_page.text)


def test_absurd_ids_are_refused_not_crashed(client: TestClient) -> None:
    sign_in(client, *ADMIN)
    huge = "9" * 30
    for path in (
        f"/admin/programs/{huge}",
        f"/admin/programs/{huge}/review",
        f"/admin/programs/{huge}/health",
    ):
        assert client.get(path).status_code == 422


def test_a_page_number_past_the_end_shows_the_last_page(client: TestClient) -> None:
    csrf = sign_in(client, *ADMIN)
    program_id = create_programme(client, csrf)
    upload(client, csrf, program_id, demo_people_csv(20, seed=6))
    started = client.post(
        f"/admin/programs/{program_id}/match", data={"csrf_token": csrf}, follow_redirects=False
    )
    wait_for_job(client, started.headers["location"])
    for page in ("100000000000000000000", "3", "-5"):
        response = client.get(f"/admin/programs/{program_id}/review?page={page}")
        assert response.status_code == 200, page
        assert re.search(r"pairings · page 1 of 1</caption>", response.text)
        assert "(E0000" in response.text  # the pairings are listed, not an empty page


def test_a_new_programme_has_dates_and_its_description_is_shown(client: TestClient) -> None:
    csrf = sign_in(client, *ADMIN)
    wrong = client.post(
        "/admin/programs",
        data={
            "csrf_token": csrf,
            "name": "Autumn 2027",
            "description": "Peers across sales and support",
            "starts_on": "2027-10-01",
            "ends_on": "2027-09-01",
        },
    )
    assert wrong.status_code == 422 and "must not be before starts_on" in wrong.text
    assert 'value="Autumn 2027"' in wrong.text and "Peers across sales and support</textarea>" in (
        wrong.text
    )
    assert (
        client.post(
            "/admin/programs", data={"csrf_token": csrf, "name": "X", "starts_on": "soon"}
        ).status_code
        == 422
    )
    made = client.post(
        "/admin/programs",
        data={
            "csrf_token": csrf,
            "name": "Autumn 2027",
            "description": "Peers across sales and support",
            "starts_on": "2027-10-01",
            "ends_on": "2028-03-31",
        },
        follow_redirects=True,
    )
    assert "Peers across sales and support" in made.text
    assert "from 1 October 2027 to 31 March 2028" in made.text


def test_a_match_of_nobody_says_so_instead_of_done(client: TestClient) -> None:
    csrf = sign_in(client, *ADMIN)
    program_id = create_programme(client, csrf, name="Empty")
    started = client.post(
        f"/admin/programs/{program_id}/match", data={"csrf_token": csrf}, follow_redirects=False
    )
    done = html.unescape(wait_for_job(client, started.headers["location"]))
    assert "nobody was in the pool: import people first" in done
    assert '<p class="notice" role="status">Done.</p>' not in done


def test_unpairing_asks_first_then_says_what_happened(client: TestClient) -> None:
    csrf = sign_in(client, *ADMIN)
    program_id = create_programme(client, csrf, name="Unpair")
    upload(client, csrf, program_id, demo_people_csv(12, seed=5))
    started = client.post(
        f"/admin/programs/{program_id}/match", data={"csrf_token": csrf}, follow_redirects=False
    )
    wait_for_job(client, started.headers["location"])
    review = client.get(f"/admin/programs/{program_id}/review").text
    pairing_id = re.search(r"/pairings/(\d+)/unpair", review).group(1)  # type: ignore[union-attr]
    forms = f'action="/admin/programs/{program_id}/pairings/'
    drafts = review.count(forms)
    url = f"/admin/programs/{program_id}/pairings/{pairing_id}/unpair"
    unticked = client.post(url, data={"csrf_token": csrf})
    assert unticked.status_code == 422 and "tick &#39;Sure&#39; beside Unpair" in unticked.text
    assert f"/pairings/{pairing_id}/unpair" in unticked.text  # still paired
    done = client.post(url, data={"csrf_token": csrf, "confirm": "yes"})
    assert done.status_code == 200
    assert "Unpaired: both people are back in the pool" in done.text
    assert f"/pairings/{pairing_id}/unpair" not in done.text
    assert done.text.count(forms) < drafts


def test_the_review_page_searches_sorts_and_recomputes_after_an_unpair(
    client: TestClient,
) -> None:
    csrf = sign_in(client, *ADMIN)
    program_id = create_programme(client, csrf, name="Review")
    upload(client, csrf, program_id, demo_people_csv(12, seed=5))
    started = client.post(
        f"/admin/programs/{program_id}/match", data={"csrf_token": csrf}, follow_redirects=False
    )
    wait_for_job(client, started.headers["location"])
    url = f"/admin/programs/{program_id}/review"
    weakest = html.unescape(client.get(url).text)
    scores = [float(s) for s in re.findall(r'<tr id="pairing-\d+">\s*<td>([\d.]+)</td>', weakest)]
    assert len(scores) >= 5 and scores == sorted(scores)
    strongest = html.unescape(client.get(url, params={"sort": "strongest"}).text)
    assert "Pairings, strongest first" in strongest
    assert [
        float(s) for s in re.findall(r'<tr id="pairing-\d+">\s*<td>([\d.]+)</td>', strongest)
    ] == (sorted(scores, reverse=True))
    # One line per pairing for the admin; the members' own words fold away.
    assert weakest.count("What each member reads") == len(scores)
    assert re.search(r"<p>(Strong|Weak|Middling) on ", weakest)

    # Search by name (part of it, any case) or by employee id.
    name, employee_id = re.search(r"<strong>([^<]+)</strong> \((E\d{6}), ", weakest).groups()  # type: ignore[union-attr]
    by_name = html.unescape(client.get(url, params={"q": name.split()[0].upper()}).text)
    assert name in by_name and re.search(r"\d+ pairings? with “", by_name)
    by_id = html.unescape(client.get(url, params={"q": employee_id.lower()}).text)
    assert "1 pairing with “" in by_id and name in by_id
    assert "Publish:" in by_id  # the hand edits stay on a filtered page
    nobody = html.unescape(client.get(url, params={"q": "no such person zz"}).text)
    assert "No pairing has a member named “no such person zz”" in nobody

    # An unpair: the figures now count one pairing less; the two freed people are named.
    before = re.search(r"(\d+) (?:person is|people are) in no pairing now", weakest)
    alone = int(before.group(1)) if before else 0
    pairing_id = re.search(r"/pairings/(\d+)/unpair", weakest).group(1)  # type: ignore[union-attr]
    row = weakest[weakest.index(f'id="pairing-{pairing_id}"') :]
    freed = re.findall(r"<strong>([^<]+)</strong> \(E\d{6}, ", row[: row.index("</tr>")])
    client.post(
        f"/admin/programs/{program_id}/pairings/{pairing_id}/unpair",
        data={"csrf_token": csrf, "confirm": "yes"},
    )
    after = html.unescape(client.get(url).text)
    assert "Now, after hand changes" in after and f"{len(scores) - 1} pairings (" in after
    assert f"{alone + 2} people are in no pairing now" in after
    for person in freed:
        assert f"<li>{person} (" in after
    # Published, the row says what is live, not "after hand changes".
    client.post(
        f"/admin/programs/{program_id}/publish", data={"csrf_token": csrf, "confirm": "yes"}
    )
    live = html.unescape(client.get(url).text)
    assert "Live now" in live and "Now, after hand changes" not in live


def test_an_upload_is_previewed_then_applied_without_a_second_upload(
    client: TestClient,
) -> None:
    import csv
    import io

    csrf = sign_in(client, *ADMIN)
    program_id = create_programme(client, csrf, name="Preview")
    first = demo_people_csv(20, seed=8)
    upload(client, csrf, program_id, first)
    rows = list(csv.DictReader(io.StringIO(first)))
    rows[1]["job_title"] = "Head of Everything"
    extra = dict(rows[0]) | {"employee_id": "N1", "name": "Nova Quist", "email": "nova@example.com"}
    rows.append(extra)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)

    checked = client.post(
        f"/admin/programs/{program_id}/people",
        data={"csrf_token": csrf, "action": "preview"},
        files={"file": ("next.csv", buffer.getvalue().encode(), "text/csv")},
        follow_redirects=False,
    )
    overview = html.unescape(wait_for_job(client, checked.headers["location"]))
    assert "What importing next.csv would do" in overview
    words = re.sub(r"<[^>]+>", "", overview)
    assert (
        "21 rows: 1 new, 1 changed, 19 left as they are; 1 would join this programme. "
        "Nothing is written yet."
    ) in words
    assert "<li>Nova Quist (N1)</li>" in overview
    assert f"<li>{rows[1]['name']} ({rows[1]['employee_id']}): job title</li>" in overview
    assert "20 people enrolled" in overview  # nothing written yet

    job = re.search(r'name="job" value="(\d+)"', overview).group(1)  # type: ignore[union-attr]
    applied = client.post(
        f"/admin/programs/{program_id}/people/apply",
        data={"csrf_token": csrf, "job": job},
        follow_redirects=False,
    )
    result = wait_for_job(client, applied.headers["location"])
    assert "Imported 21 people: 1 new, 1 updated, 19 unchanged; 1 newly enrolled." in result
    assert "21 people enrolled" in result
    again = client.post(
        f"/admin/programs/{program_id}/people/apply", data={"csrf_token": csrf, "job": job}
    )
    assert again.status_code == 409 and "not kept any more" in again.text
