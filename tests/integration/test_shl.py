"""A share link as a SMART Health Link over HTTP: the manifest, its passcode lock, the one-use
file address, CORS for other origins, the view log, and that the key never rests here."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlmodel import select
from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import Route
from starlette.testclient import TestClient

from companion import routes
from companion.api import shared, shl
from companion.clinical import score_gad7, score_phq9
from companion.data import questionnaires
from companion.data.db import utcnow
from companion.data.shares import ShareLink, ShareView
from companion.exports.shl import decrypt_file, parse_shlink
from companion.localtime import local_today
from companion.security import sharing
from companion.ui.state.share import ShareState
from tests.state_helpers import make_state

EHR = {"origin": "https://ehr.example.org", "user-agent": "Mozilla/5.0 (Windows NT 10.0)"}
PHQ9_TOTAL = "44261-6"


@pytest.fixture
def client(engine):
    """The routes inside a CORS layer like the one Reflex wraps every app in (this origin
    only, with credentials), and shl.AnyOrigin around it all, as companion.CompanionApp does."""
    app = Starlette(
        routes=[
            Route(routes.SHARE_PAGE, shared.show, methods=["GET"]),
            Route(routes.SHARE_FHIR, shared.download_fhir),
            Route(routes.SHL_MANIFEST, shl.manifest, methods=["POST"]),
            Route(routes.SHL_MANIFEST, shl.preflight, methods=["OPTIONS"]),
            Route(routes.SHL_FILE, shl.file, methods=["GET"]),
        ]
    )
    reflex_like = CORSMiddleware(
        app,
        allow_credentials=True,
        allow_methods=["*"],
        allow_headers=["*"],
        allow_origins=["http://localhost:3000"],
    )
    return TestClient(
        shl.AnyOrigin(reflex_like), base_url="http://localhost:3000", follow_redirects=False
    )


def _make(patient, passcode: str = "") -> tuple[str, str, dict]:
    """A link made on /share as the patient makes it: (token, the address shown, its payload)."""
    state = make_state(ShareState, patient.token)
    state.create({"expiry_days": "30", "period": "30d", "passcode": passcode})
    assert state.error == "", state.error
    page = state.new_url.split("#", 1)[0]
    return page.rsplit("/", 1)[-1], state.new_url, parse_shlink(state.new_url)


def _post(client, body: dict, manifest_url: str, **headers):
    return client.post(urlsplit(manifest_url).path, json=body, headers=EHR | headers)


def _phq9_totals(bundle: dict) -> list[int]:
    """The PHQ-9 totals (LOINC 44261-6) of the Bundle's Observations, however valued."""
    found = [e["resource"] for e in bundle["entry"]]
    return [
        r.get("valueInteger", r.get("valueQuantity", {}).get("value"))
        for r in found
        if r["resourceType"] == "Observation" and r["code"]["coding"][0]["code"] == PHQ9_TOTAL
    ]


def _views(session) -> list[ShareView]:
    session.expire_all()
    return list(session.exec(select(ShareView).order_by(ShareView.id)).all())


def _answer(session, patient, scorer, answers) -> None:
    questionnaires.save_response(session, patient.id, scorer(answers), local_today("UTC"))
    session.commit()


def test_the_copied_link_is_the_page_with_the_payload_after_the_hash(session, patient, client):
    token, link, payload = _make(patient, passcode="blue heron")
    assert link.startswith(f"http://localhost:3000/s/{token}#shlink:/")
    assert payload["url"] == f"http://localhost:3000/s/{token}/shl" and len(payload["url"]) <= 128
    assert len(token) == 43  # 256 random bits in the manifest URL
    assert len(payload["key"]) == 43 and payload["flag"] == "P" and payload["v"] == 1
    row = session.exec(select(ShareLink)).one()
    assert payload["exp"] == int(row.expires_at.timestamp())
    # The link's expiry as epoch seconds: 30 days after it was made, whatever the server's zone.
    made = utcnow().timestamp()
    assert made + 30 * 86400 - 3600 <= payload["exp"] <= made + 30 * 86400
    today = local_today("UTC")
    assert payload["label"].startswith("Ketamine Companion summary, ")
    assert payload["label"].endswith(f"{today.day} {today:%b}") and len(payload["label"]) <= 80
    # The page still opens with the same token (the fragment never reaches the server).
    assert client.get(routes.shared_summary(token)).status_code == 200


def test_the_manifest_gives_the_bundle_encrypted_and_logs_the_recipient(
    session, patient, client, engine, tmp_path
):
    _answer(session, patient, score_phq9, [2] * 8 + [0])
    _answer(session, patient, score_gad7, [1] * 7)
    _token, _link, payload = _make(patient)
    response = _post(client, {"recipient": "Lakeside Clinic EHR"}, payload["url"])
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers
    [file] = response.json()["files"]
    assert file["contentType"] == "application/fhir+json" and "location" not in file
    plaintext, header = decrypt_file(file["embedded"], payload["key"])
    assert header["cty"] == "application/fhir+json" and header["enc"] == "A256GCM"
    assert _phq9_totals(json.loads(plaintext)) == [16]
    [view] = _views(session)
    assert (view.outcome, view.viewer_name, view.device) == (
        "shl_manifest",
        "Lakeside Clinic EHR",
        "A browser on Windows",
    )
    state = make_state(ShareState, patient.token)
    state.load()
    [logged] = state.links[0].log
    assert (logged.outcome, logged.name) == (
        "Fetched by a health record app",
        "Lakeside Clinic EHR",
    )
    # The key rests nowhere: not in the database, its WAL, or anything beside them.
    session.commit()
    engine.dispose()
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert payload["key"].encode() not in path.read_bytes(), path


def test_the_key_never_goes_into_the_tab_state_reflex_stores(patient):
    # What Reflex writes to Redis between events when several workers share state.
    state = make_state(ShareState, patient.token)
    state.create({"expiry_days": "30", "period": "30d", "passcode": ""})
    page, fragment = state.new_url.split("#shlink:/")
    token = page.rsplit("/", 1)[-1]
    stored = state._serialize()
    # Not the address, not its payload (which holds the key), not the QR code of them.
    assert stored and token.encode() not in stored and fragment[:20].encode() not in stored
    assert b"shlink" not in stored and b"svg" not in stored


def test_each_link_has_its_own_token_key_and_nonce(session, patient, client):
    made = [_make(patient) for _ in range(3)]
    tokens = {token for token, _link, _payload in made}
    keys = {payload["key"] for _token, _link, payload in made}
    # 43 base64url characters each: 256 random bits in the manifest URL, 32 bytes of key.
    assert all(len(unb64url(t)) == 32 for t in tokens) and len(tokens) == 3
    assert all(len(unb64url(k)) == 32 for k in keys) and len(keys) == 3
    files = [row.shl_file for row in session.exec(select(ShareLink)).all()]
    nonces = {file.split(".")[2] for file in files}
    assert len(nonces) == 3 and all(len(unb64url(n)) == 12 for n in nonces)
    # A link's own key opens its file and no other link's.
    for _token, _link, payload in made:
        [file] = _post(client, {"recipient": "EHR"}, payload["url"]).json()["files"]
        opened = [f for f in files if _opens(f, payload["key"])]
        assert opened == [file["embedded"]]


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _opens(token: str, key: str) -> bool:
    try:
        decrypt_file(token, key)
    except ValueError:
        return False
    return True


def test_the_file_is_the_same_bundle_as_the_pages_fhir_download(session, patient, client):
    _answer(session, patient, score_phq9, [2] * 8 + [1])
    _answer(session, patient, score_gad7, [1] * 7)
    token, _link, payload = _make(patient)
    [file] = _post(client, {"recipient": "EHR"}, payload["url"]).json()["files"]
    from_link = json.loads(decrypt_file(file["embedded"], payload["key"])[0])
    download = client.get(routes.share_download(token, "fhir.json"))
    assert download.status_code == 200
    downloaded = download.json()
    # One builder: the same transaction, entry for entry; only the moment it was made differs.
    assert from_link["type"] == downloaded["type"] == "transaction"
    assert from_link["entry"] == downloaded["entry"]
    # The Patient; PHQ-9: its response, 9 items, total, panel; GAD-7: response, 7, total, panel.
    assert len(from_link["entry"]) == 1 + 12 + 10


def test_the_file_is_a_snapshot_of_when_the_link_was_made(session, patient, client):
    _answer(session, patient, score_phq9, [1] * 9)
    _token, _link, payload = _make(patient)
    _answer(session, patient, score_phq9, [3] * 9)
    [file] = _post(client, {"recipient": "Dr Lee"}, payload["url"]).json()["files"]
    assert _phq9_totals(json.loads(decrypt_file(file["embedded"], payload["key"])[0])) == [9]
    assert "L" not in payload.get("flag", "")


def test_a_browser_on_another_origin_may_post_to_the_manifest(patient, client):
    _token, _link, payload = _make(patient)
    check = client.options(
        urlsplit(payload["url"]).path,
        headers=EHR
        | {
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert check.status_code == 204
    assert check.headers["access-control-allow-origin"] == "*"
    assert "POST" in check.headers["access-control-allow-methods"]
    assert "content-type" in check.headers["access-control-allow-headers"]
    assert "access-control-allow-credentials" not in check.headers


def test_wrong_passcodes_get_401_with_remaining_attempts_then_the_link_locks(
    session, patient, client
):
    token, _link, payload = _make(patient, passcode="blue heron")
    assert _post(client, {"recipient": "EHR"}, payload["url"]).json()["remainingAttempts"] == 4
    for left in (3, 2, 1, 0):
        wrong = _post(client, {"recipient": "EHR", "passcode": "nope"}, payload["url"])
        assert wrong.status_code == 401 and wrong.json()["remainingAttempts"] == left
        assert wrong.headers["access-control-allow-origin"] == "*"
    right = _post(client, {"recipient": "EHR", "passcode": "blue heron"}, payload["url"])
    assert right.status_code == 404
    # The same lock as the page's: the clinician page is locked too.
    assert client.get(routes.shared_summary(token)).status_code == 404
    outcomes = [(v.outcome, v.viewer_name) for v in _views(session)]
    assert outcomes == [("wrong_passcode", "EHR")] * 5


def test_page_and_manifest_count_wrong_passcodes_together_and_a_right_one_resets(
    session, patient, client
):
    token, _link, payload = _make(patient, passcode="blue heron")
    link = sharing.find_usable(session, token)
    for _ in range(2):
        assert sharing.open_link(session, link, "Firefox", passcode="nope").view is None
    session.commit()
    wrong = _post(client, {"recipient": "EHR", "passcode": "nope"}, payload["url"])
    assert wrong.json()["remainingAttempts"] == 2
    right = _post(client, {"recipient": "EHR", "passcode": " blue heron "}, payload["url"])
    assert right.status_code == 200
    session.expire_all()
    assert session.exec(select(ShareLink)).one().failed_attempts == 0


def test_links_that_are_not_valid_get_404_and_nothing_is_logged(session, patient, client):
    revoked_token, _l, revoked = _make(patient)
    expired_token, _l, expired = _make(patient)
    old_token, _l, old = _make(patient)
    good_token, _l, good = _make(patient)
    row = sharing.find_usable(session, expired_token)
    row.expires_at = row.created_at - timedelta(seconds=1)
    sharing.revoke(session, patient.id, sharing.find_usable(session, revoked_token).id)
    # A link made before links carried a key has no file: not a SMART Health Link.
    sharing.find_usable(session, old_token).shl_file = None
    session.commit()
    altered = good_token[:-1] + ("A" if good_token[-1] != "A" else "B")
    bad_urls = [
        revoked["url"],
        expired["url"],
        old["url"],
        good["url"].replace(good_token, altered),
        "http://localhost:3000/s/short/shl",
    ]
    bodies = set()
    for url in bad_urls:
        response = _post(client, {"recipient": "EHR"}, url)
        assert response.status_code == 404
        assert response.headers["access-control-allow-origin"] == "*"
        bodies.add(response.text)
    assert len(bodies) == 1
    assert _views(session) == []


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"recipient": ""},
        {"recipient": "x" * 81},
        {"recipient": "line\nbreak"},
        {"recipient": 7},
        {"recipient": "EHR", "passcode": 1234},
        {"recipient": "EHR", "embeddedLengthMax": -1},
        {"recipient": "EHR", "embeddedLengthMax": "big"},
        ["recipient"],
    ],
)
def test_a_bad_request_gets_400_and_uses_no_passcode_try(session, patient, client, body):
    _token, _link, payload = _make(patient, passcode="blue heron")
    response = _post(client, body, payload["url"])
    assert response.status_code == 400 and response.json()["error"]
    assert _views(session) == []
    assert session.exec(select(ShareLink)).one().failed_attempts == 0


def test_a_long_file_comes_from_an_address_used_once_within_the_hour(session, patient, client):
    _answer(session, patient, score_phq9, [2] * 9)
    token, _link, payload = _make(patient)
    response = _post(client, {"recipient": "EHR", "embeddedLengthMax": 100}, payload["url"])
    [file] = response.json()["files"]
    assert "embedded" not in file
    location = urlsplit(file["location"])
    assert file["location"].startswith(f"http://localhost:3000/s/{token}/shl/")
    [view] = _views(session)
    assert view.grant_expires_at - view.at <= timedelta(hours=1)
    # The file address is not a grant for the page's downloads.
    ticket = location.path.rsplit("/", 1)[-1]
    client.cookies.set(shared.GRANT_COOKIE, ticket)
    first = client.get(location.path, headers=EHR)
    assert first.status_code == 200 and first.headers["content-type"] == "application/jose"
    assert first.headers["access-control-allow-origin"] == "*"
    assert _phq9_totals(json.loads(decrypt_file(first.text, payload["key"])[0]))
    assert client.get(location.path, headers=EHR).status_code == 404


def test_embedded_length_max_is_the_longest_file_sent_embedded(session, patient, client):
    _answer(session, patient, score_phq9, [1] * 9)
    _token, _link, payload = _make(patient)
    [whole] = _post(client, {"recipient": "EHR"}, payload["url"]).json()["files"]
    size = len(whole["embedded"])
    for limit, kind in ((size, "embedded"), (size + 1, "embedded"), (size - 1, "location")):
        body = {"recipient": "EHR", "embeddedLengthMax": limit}
        [file] = _post(client, body, payload["url"]).json()["files"]
        assert list(file) == ["contentType", kind], limit
    assert len(_views(session)) == 4  # every manifest request is in the link's log


def test_a_file_address_expires_after_an_hour(session, patient, client):
    _token, _link, payload = _make(patient)
    [file] = _post(client, {"recipient": "EHR", "embeddedLengthMax": 0}, payload["url"]).json()[
        "files"
    ]
    [view] = _views(session)
    view.grant_expires_at = view.at - timedelta(seconds=1)
    session.add(view)
    session.commit()
    assert client.get(urlsplit(file["location"]).path).status_code == 404
