"""The copied share link, read by an SHL client nobody here wrote: kill-the-clipboard's SHLViewer
(npm, pinned in tests/node) under Node, against the production build; the QR code beside it, read
by zxing-cpp; and the same link in a browser, which opens the clinician page as before (the
#shlink:/ fragment stays in the browser)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
import urllib.request
from pathlib import Path

import zxingcpp
from playwright.sync_api import Page, expect

from companion.exports.shl import parse_shlink
from tests.browser import DEMO_EMAIL, DEMO_PASSWORD, DESKTOP, Server, db_rows, open_visit, sign_in
from tests.e2e.test_foundation import fits_without_sideways_scroll

CLIENT = Path(__file__).resolve().parents[1] / "node" / "shl_client.mjs"
PASSCODE = "river stone"
RECIPIENT = "Lakeside Clinic EHR"


def _resolve(link: str, *args: str) -> dict:
    """What kill-the-clipboard made of the link (it prints JSON, errors included)."""
    run = subprocess.run(
        ["node", str(CLIENT), link, RECIPIENT, *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(run.stdout)


# The QR code drawn at this many pixels a side: a phone's camera sees it at least this sharp.
QR_PIXELS = 600


def _qr_text(page: Page) -> list[str]:
    """What a camera reads from the QR code on the page: the image drawn in grey on white, then
    decoded by zxing-cpp (a reader nobody here wrote)."""
    grey = page.evaluate(
        """async (size) => {
            const img = document.querySelector("img.qr");
            await img.decode();
            const canvas = document.createElement("canvas");
            canvas.width = canvas.height = size;
            const context = canvas.getContext("2d");
            context.fillStyle = "#fff";
            context.fillRect(0, 0, size, size);
            context.drawImage(img, 0, 0, size, size);
            const rgba = context.getImageData(0, 0, size, size).data;
            let bytes = "";
            for (let i = 0; i < rgba.length; i += 4) bytes += String.fromCharCode(rgba[i + 1]);
            return btoa(bytes);
        }""",
        QR_PIXELS,
    )
    image = memoryview(base64.b64decode(grey)).cast("B", shape=[QR_PIXELS, QR_PIXELS])
    # QR codes only, as a phone's camera app reads them: a row of the code's modules can pass for
    # a short 1D barcode (a Codabar "D52C" in one CI run), which is no reading of the link.
    qr = zxingcpp.BarcodeFormat.QRCode
    return [found.text for found in zxingcpp.read_barcodes(image, formats=qr)]


def _headers(url: str, method: str, body: bytes | None = None) -> dict[str, str]:
    request = urllib.request.Request(url, data=body, method=method)  # noqa: S310 - our server
    request.add_header("origin", "https://ehr.example.org")
    request.add_header("content-type", "application/json")
    request.add_header("access-control-request-method", "POST")
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 - our server
            return {k.lower(): v for k, v in response.headers.items()}
    except urllib.error.HTTPError as error:
        return {k.lower(): v for k, v in error.headers.items()}


def test_kill_the_clipboard_reads_the_copied_link(browser, server: Server, demo_account: str):
    visit = open_visit(browser, server, permissions=["clipboard-read", "clipboard-write"])
    page = visit.new_page()
    sign_in(page, server, DEMO_EMAIL, DEMO_PASSWORD)
    page.wait_for_url(server.url("/"))
    page.goto(server.url("/share"))
    page.get_by_label("Period covered").select_option("all")
    page.get_by_label("Passcode (optional)").fill(PASSCODE)
    page.get_by_role("button", name="Create link").click()
    expect(page.locator("#share-new-url")).to_contain_text("#shlink:/")
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator("#share-copy-status")).to_have_text("Copied.")
    link = page.evaluate("navigator.clipboard.readText()")
    assert link == page.locator("#share-new-url").inner_text()
    # The QR code carries the same SMART Health Link, fragment and all.
    assert _qr_text(page) == [link]
    assert fits_without_sideways_scroll(page)  # a long link wraps on a phone
    token = link.split("#")[0].rsplit("/", 1)[-1]
    expected = [
        row.total
        for row in db_rows(
            server,
            "SELECT r.total FROM questionnaire_response r JOIN patient p ON p.id = r.patient_id"
            " WHERE p.email = :email AND r.instrument = 'phq9' ORDER BY r.completed_at, r.id",
            email=DEMO_EMAIL,
        )
    ]
    assert len(expected) >= 2

    wrong = _resolve(link, "not the passcode")
    assert wrong["error"]["name"] == "SHLInvalidPasscodeError", wrong
    assert wrong["payload"] == parse_shlink(link) and wrong["payload"]["flag"] == "P"
    embedded = _resolve(link, PASSCODE)
    assert embedded.get("error") is None, embedded
    assert embedded["files"] == ["embedded"] and embedded["resourceTypes"] == ["Bundle"]
    assert embedded["phq9Totals"] == expected
    by_location = _resolve(link, PASSCODE, "1")
    assert by_location["files"] == ["location"] and by_location["phq9Totals"] == expected

    views = db_rows(
        server,
        "SELECT v.outcome, v.viewer_name FROM share_view v JOIN share_link l ON l.id = v.link_id"
        " WHERE l.token_hash = :hash ORDER BY v.id",
        hash=hashlib.sha256(token.encode()).hexdigest(),
    )
    assert [tuple(v) for v in views] == [
        ("wrong_passcode", RECIPIENT),
        ("shl_manifest", RECIPIENT),
        ("shl_manifest", RECIPIENT),
    ]
    # The patient sees who fetched it, and why an earlier link cannot be shown again.
    page.reload()
    card = page.get_by_role("listitem").first
    card.get_by_text("Who opened it").click()
    expect(card).to_contain_text("Fetched by a health record app")
    expect(card).to_contain_text(RECIPIENT)
    expect(page.locator("#share-once-note")).to_contain_text("cannot show an earlier link again")
    visit.context.close()

    # A clinician's browser opens the same copied link: the passcode, then the summary.
    clinician = open_visit(browser, server, viewport=DESKTOP)
    summary = clinician.new_page()
    summary.goto(link)
    summary.get_by_label("Passcode").fill(PASSCODE)
    summary.get_by_role("button", name="Open summary").click()
    expect(summary.get_by_role("heading", name=re.compile("Clinician summary"))).to_be_visible()
    assert clinician.foreign_requests() == []
    clinician.context.close()

    # Other origins may call the manifest (the EHR's own web page): CORS, never credentials.
    manifest = parse_shlink(link)["url"]
    for method, body in (
        ("OPTIONS", None),
        ("POST", json.dumps({"recipient": "CORS", "passcode": PASSCODE}).encode()),
    ):
        headers = _headers(manifest, method, body)
        assert headers.get("access-control-allow-origin") == "*", (method, headers)
        assert "access-control-allow-credentials" not in headers
