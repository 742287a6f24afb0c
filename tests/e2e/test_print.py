"""The clinician summary printed to PDF on A4 and Letter, read back with pypdf: what is on each
page, where, and that the link's secret is on none of them, even with Chrome's own header."""

from __future__ import annotations

import base64
import io
import unicodedata
from urllib.parse import urlsplit

from playwright.sync_api import Page, expect
from pypdf import PageObject, PdfReader

from companion.api.summary_page import INFUSION_COLUMNS, OUTCOME_COLUMNS
from companion.exports.shl import PREFIX, parse_shlink
from tests.browser import DEMO_PASSWORD, DESKTOP, Server, open_visit, sign_in
from tests.e2e.test_share import _create_link

# Paper width and height in millimetres.
PAPERS = {"A4": (210, 297), "Letter": (215.9, 279.4)}
# The printed page's top and bottom margin (summary_page), 16 mm in points: text outside is a margin
# box (the running header, the page number) or Chrome's own header and footer.
MARGIN = 16 / 25.4 * 72
# Words of the summary's table headers: a line of only these is a header row.
HEADER_WORDS = {word for name in (*OUTCOME_COLUMNS, *INFUSION_COLUMNS) for word in name.split()}


def _norm(text: str) -> str:
    # NFKC undoes the ligatures Chrome prints ("ﬁ"); whitespace as a reader sees it.
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _lines(page: PageObject) -> list[tuple[float, str]]:
    """The page's lines of text, top first, each with its baseline height in points."""
    pieces: list[tuple[float, float, str]] = []

    def visit(text, cm, tm, _font, _size) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            pieces.append((y, x, text))

    page.extract_text(visitor_text=visit)
    lines: list[tuple[float, list[tuple[float, str]]]] = []
    for y, x, text in sorted(pieces, key=lambda p: -p[0]):
        if lines and abs(lines[-1][0] - y) <= 2:
            lines[-1][1].append((x, text))
        else:
            lines.append((y, [(x, text)]))
    return [(y, _norm(" ".join(t for _x, t in sorted(row)))) for y, row in lines]


def _print(page: Page, paper: str, chrome_header: bool) -> PdfReader:
    """Print as a clinician would: Chrome's own header and footer (date, title, address, page
    x/y, its default when "Headers and footers" is ticked), or none, as Playwright prints."""
    width, height = (mm / 25.4 for mm in PAPERS[paper])
    if chrome_header:
        cdp = page.context.new_cdp_session(page)
        # No templates: Chrome's defaults, which print the page's address.
        printed = cdp.send(
            "Page.printToPDF",
            {"displayHeaderFooter": True, "paperWidth": width, "paperHeight": height},
        )
        cdp.detach()
        return PdfReader(io.BytesIO(base64.b64decode(printed["data"])))
    return PdfReader(io.BytesIO(page.pdf(width=f"{width}in", height=f"{height}in")))


def _link_targets(reader: PdfReader) -> str:
    targets = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            targets.append(str(action.get("/URI", "")))
    return " ".join(targets)


def test_printed_summary_keeps_its_secret_and_its_layout(
    browser, server: Server, demo_account: str
):
    visit = open_visit(browser, server)
    patient = visit.new_page()
    sign_in(patient, server, demo_account, DEMO_PASSWORD)
    patient.wait_for_url(server.url("/"))
    url = _create_link(patient, server, period="90d", notes=True)
    visit.context.close()
    token = urlsplit(url).path.rsplit("/", 1)[1]
    fragment = url.split(PREFIX, 1)[1]
    key = parse_shlink(url)["key"]
    secrets = {"token": token, "fragment": fragment, "key": key}

    clinician = open_visit(browser, server, viewport=DESKTOP)
    summary = clinician.new_page()
    summary.goto(url)  # with its #shlink:/ fragment, as a clinician's browser holds it
    check_printed(summary, secrets, urlsplit(server.base_url).netloc)
    clinician.context.close()


def check_printed(summary: Page, secrets: dict[str, str], host: str) -> None:
    """Print the open summary on each paper, with and without Chrome's header, and read it."""
    expect(summary.locator("#phq9 .chart-wide svg")).to_be_attached()
    who = _norm(summary.locator("#summary-whose").inner_text())
    period = _norm(summary.locator("#summary-whose + p").inner_text())
    headings = {_norm(h) for h in summary.locator("main h1, main h2").all_inner_texts()}
    charts = {
        _norm(summary.locator(f"#{name} h2").inner_text()): [
            _norm(t)
            for t in summary.locator(f"#{name} .chart-wide svg text").all_text_contents()
            if t.strip()
        ]
        for name in ("mood", "phq9")
    }

    for paper, size in PAPERS.items():
        for chrome_header in (True, False):
            case = f"{paper}, Chrome's header {'on' if chrome_header else 'off'}"
            reader = _print(summary, paper, chrome_header)
            pages = [_lines(p) for p in reader.pages]
            count = len(pages)
            print(f"{case}: {count} pages")
            assert count >= 2, case
            for secret, value in secrets.items():
                assert value[:12] not in _link_targets(reader), f"{case}: a link holds the {secret}"
            for number, (page, lines) in enumerate(zip(reader.pages, pages, strict=True), 1):
                box = page.mediabox  # A4 is 595 x 842 points, Letter 612 x 792
                assert abs(float(box.width) - size[0] / 25.4 * 72) < 1, f"{case}: {box}"
                assert abs(float(box.height) - size[1] / 25.4 * 72) < 1, f"{case}: {box}"
                text = " ".join(line for _y, line in lines)
                for secret, value in secrets.items():
                    # A prefix: Chrome shortens a long address with an ellipsis.
                    assert value[:12] not in text, f"{case}: page {number} shows the {secret}"
                assert host not in text and "shlink" not in text, f"{case}: page {number}"
                assert f"Page {number} of {count}" in text, f"{case}: page {number} unnumbered"
                if number > 1:
                    top = " ".join(line for y, line in lines if y > float(box.height) - MARGIN)
                    assert who in top and period in top, f"{case}: page {number} header: {top}"
                body = [line for y, line in lines if MARGIN < y < float(box.height) - MARGIN]
                if number < count:
                    last = body[-1]
                    assert last not in headings, f"{case}: page {number} ends with {last!r}"
                    assert not set(last.split()) <= HEADER_WORDS, (
                        f"{case}: page {number} ends with a table header {last!r}"
                    )
            for title, labels in charts.items():
                [where] = [i for i, lines in enumerate(pages) if title in (t for _y, t in lines)]
                text = " ".join(line for _y, line in pages[where])
                apart = [label for label in labels if label not in text]
                assert labels and not apart, f"{case}: {title!r} on page {where + 1}, {apart} not"
