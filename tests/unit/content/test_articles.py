"""Tests for companion/content/articles.py and the Learn articles it loads."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from companion.clinical import durability
from companion.content import (
    ARTICLES,
    ARTICLES_BY_SLUG,
    NOT_MEDICAL_ADVICE,
    PHASES,
    SITUATIONS,
    STAGE_GROUPS,
    Article,
    Source,
    load_articles,
    reading_grade,
)
from companion.content.articles import ARTICLES_FOLDER, count_syllables, count_words
from companion.ui.components.markdown import APP_PAGES, link_targets, markdown_to_components

EXPECTED_SLUGS = {
    "how-ketamine-works",
    "first-consultation",
    "first-infusion",
    "first-24-hours",
    "why-six",
    "boosters-and-maintenance",
    "side-effects",
    "safety-and-misuse",
    "what-to-track",
    "clinician-summary",
    "noticing-a-dip",
}

# Peer-reviewed papers (DOI or PubMed/PMC), US health agencies, the 988 Lifeline and the
# American Psychiatric Association. Anything else needs a reason before it is added.
REPUTABLE_HOSTS = {
    "doi.org",
    "pubmed.ncbi.nlm.nih.gov",
    "pmc.ncbi.nlm.nih.gov",
    "www.fda.gov",
    "www.nimh.nih.gov",
    "988lifeline.org",
    "www.samhsa.gov",
    "www.psychiatry.org",
}

HELP_LINE = (
    "If you are thinking about suicide, get help now: call or text 988 in the US, "
    "or see the [Get help now page](/help)."
)
MAX_READING_GRADE = 9.0
FRONT_MATTER_KEYS = {"title", "summary", "phases", "situations", "order", "reviewed", "sources"}

ARTICLE_FILES = sorted(ARTICLES_FOLDER.glob("*.md"))


def _front_matter(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), path.name
    front = text.split("\n---\n", 1)[0].removeprefix("---\n")
    meta = yaml.safe_load(front)
    assert isinstance(meta, dict)
    return meta


# --- The bundled articles ---------------------------------------------------------------


def test_exactly_the_eleven_slugs_exist() -> None:
    assert {path.stem for path in ARTICLE_FILES} == EXPECTED_SLUGS
    assert {article.slug for article in ARTICLES} == EXPECTED_SLUGS
    assert set(ARTICLES_BY_SLUG) == EXPECTED_SLUGS


def test_articles_are_sorted_by_order_with_unique_positions() -> None:
    orders = [article.order for article in ARTICLES]
    assert orders == sorted(orders)
    assert sorted(orders) == list(range(1, len(ARTICLES) + 1))


@pytest.mark.parametrize("path", ARTICLE_FILES, ids=lambda p: p.stem)
def test_front_matter_parses_with_exactly_the_keys(path: Path) -> None:
    meta = _front_matter(path)
    assert set(meta) == FRONT_MATTER_KEYS
    assert isinstance(meta["title"], str) and meta["title"].strip()
    assert isinstance(meta["summary"], str) and meta["summary"].strip()
    assert isinstance(meta["order"], int)
    assert isinstance(meta["reviewed"], datetime.date)


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.slug)
def test_tags_are_valid(article: Article) -> None:
    assert article.phases and set(article.phases) <= set(PHASES)
    assert article.situations and set(article.situations) <= set(SITUATIONS)


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.slug)
def test_reviewed_is_a_date_not_in_the_future(article: Article) -> None:
    assert isinstance(article.reviewed, datetime.date)
    assert not isinstance(article.reviewed, datetime.datetime)
    assert article.reviewed <= datetime.date.today()


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.slug)
def test_sources_are_reputable_https_pages(article: Article) -> None:
    assert 2 <= len(article.sources) <= 5
    urls = [source.url for source in article.sources]
    assert len(set(urls)) == len(urls), "a source is listed twice"
    for source in article.sources:
        assert isinstance(source, Source)
        assert source.title.strip()
        parts = urlsplit(source.url)
        assert parts.scheme == "https", source.url
        assert parts.hostname in REPUTABLE_HOSTS, source.url
        if parts.hostname == "doi.org":
            assert re.fullmatch(r"/10\.\d{4,9}/\S+", parts.path), source.url


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.slug)
def test_body_is_long_enough(article: Article) -> None:
    assert article.word_count >= 300
    assert article.word_count == count_words(article.body)


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.slug)
def test_body_is_plain_markdown(article: Article) -> None:
    assert not re.search(r"<\s*[A-Za-z!/?]", article.body), "raw HTML"
    assert "![" not in article.body, "images"
    assert "http" not in article.body.lower(), "no web addresses in the body"
    assert "##" in article.body, "use subheadings"
    assert not re.search(r"^# ", article.body, flags=re.MULTILINE), "the page shows the title"


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.slug)
def test_links_in_the_body_go_only_to_the_apps_own_pages(article: Article) -> None:
    # Other sites belong in the front matter sources, where the page lists them as sources.
    targets = link_targets(article.body)
    assert "/help" in targets
    assert set(targets) <= APP_PAGES, set(targets) - APP_PAGES
    # The converter renders each one as a link (it raises for any other target).
    rendered = "".join(str(c) for c in markdown_to_components(article.body))
    for target in targets:
        assert f'to:"{target}"' in rendered


@pytest.mark.parametrize(
    "text",
    [
        "[a clinic](https://example.com/)",
        "[mail us](mailto:someone@example.com)",
        "[phone](tel:988)",
        "[off by a slash](/help/)",
        "[a page we do not have](/admin)",
        "[by reference][r]\n\n[r]: https://example.com/",
        "<https://example.com/>",
    ],
)
def test_a_link_anywhere_else_stops_the_build(text: str) -> None:
    with pytest.raises(ValueError, match="only to the app's own pages"):
        markdown_to_components(text)


PAGE_MENTIONS = {
    "Get help now page": "/help",
    "Today page": "/",
    "Trends page": "/trends",
    "Share page": "/share",
}


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.slug)
def test_the_first_mention_of_an_app_page_is_a_link_to_it(article: Article) -> None:
    for phrase, target in PAGE_MENTIONS.items():
        first = article.body.find(phrase)
        if first >= 0:
            linked = f"[{phrase}]({target})"
            assert article.body[first - 1 : first - 1 + len(linked)] == linked, phrase


def test_pages_the_articles_name_are_linked_somewhere() -> None:
    body = "\n".join(article.body for article in ARTICLES)
    for phrase, target in PAGE_MENTIONS.items():
        assert f"[{phrase}]({target})" in body


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.slug)
def test_reading_grade_is_at_most_nine(article: Article) -> None:
    assert reading_grade(article.body) <= MAX_READING_GRADE


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.slug)
def test_every_article_ends_by_pointing_to_help(article: Article) -> None:
    # Readers may be low or at risk, and every article touches on mood or treatment risk.
    assert article.body.rstrip().endswith(HELP_LINE)


def test_every_situation_is_covered() -> None:
    covered = {situation for article in ARTICLES for situation in article.situations}
    assert covered == set(SITUATIONS)


def test_every_phase_is_covered() -> None:
    covered = {phase for article in ARTICLES for phase in article.phases}
    assert covered == set(PHASES)


def test_key_tags() -> None:
    by = ARTICLES_BY_SLUG
    assert {"before_first", "infusion_day"} <= set(by["first-infusion"].situations)
    assert {"infusion_day", "day_after"} <= set(by["first-24-hours"].situations)
    assert {"mood_falling", "safety_event"} <= set(by["noticing-a-dip"].situations)
    assert "phq9_completed" in by["what-to-track"].situations
    assert "maintenance" in by["boosters-and-maintenance"].situations
    assert "induction" in by["why-six"].situations


def test_stage_groups_cover_every_slug_once_in_list_order() -> None:
    headings = [heading for heading, _ in STAGE_GROUPS]
    assert headings == [
        "Before you start",
        "During the induction series",
        "After an infusion",
        "Maintenance and boosters",
        "Tracking and sharing",
    ]
    slugs = [slug for _, group in STAGE_GROUPS for slug in group]
    assert len(slugs) == len(set(slugs))
    assert set(slugs) == EXPECTED_SLUGS
    assert all(group for _, group in STAGE_GROUPS)
    # The grouped list reads in the same order as the flat one.
    assert slugs == [article.slug for article in ARTICLES]


def test_not_medical_advice_wording() -> None:
    assert NOT_MEDICAL_ADVICE == (
        "This article is general information, not medical advice. "
        "Talk to your clinic about your own treatment."
    )


def test_facts_the_app_relies_on_are_stated() -> None:
    """A few clinical facts from the product brief, so an edit cannot quietly drop them."""
    by = ARTICLES_BY_SLUG
    assert "0.5 mg" in by["first-infusion"].body
    assert "40 minutes" in by["first-infusion"].body
    assert "2 to 4 hours" in by["first-24-hours"].body
    assert "18 days" in by["why-six"].body
    assert "two hours" in by["boosters-and-maintenance"].body
    assert "741741" in by["noticing-a-dip"].body
    assert "911" in by["noticing-a-dip"].body
    assert "nobody watches" in by["noticing-a-dip"].body.lower()
    assert "911" in by["side-effects"].body


# The number words the articles use for the durability method's day counts.
NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}


def _section(body: str, heading_start: str) -> str:
    """The text of the "## " section whose heading starts with heading_start."""
    matches = [part for part in body.split("\n## ") if part.startswith(heading_start)]
    assert len(matches) == 1, heading_start
    return " ".join(matches[0].split())


def test_what_to_track_documents_the_one_durability_method() -> None:
    """The Learn article states the method companion/clinical/durability.py computes
    (issue 14, point 2), with the same numbers, so neither can change alone."""
    section = _section(
        ARTICLES_BY_SLUG["what-to-track"].body, "How the app counts the days an infusion lasted"
    )
    pre = NUMBER_WORDS[durability.PRE_DAYS]
    others = NUMBER_WORDS[durability.SMOOTHING_DAYS - 1]
    # The bar: the mean mood of the PRE_DAYS days before.
    assert f"your mood on the {pre} days before an infusion as the bar" in section
    # Each day's average: that day and the SMOOTHING_DAYS - 1 before it.
    assert f"the average of that day and the {others} before it" in section
    # "Fell back": the first day that average is at or below the bar (not strictly below).
    assert (
        f"The first day this average is at or below the bar is the day your mood "
        f"{durability.FELL_BACK}." in section
    )
    assert "how long that infusion lasted" in section
    # The same, computed: a bar of 5, one odd day of 2 on day 3, and day 4's average at 4.
    day = datetime.date(2026, 1, 1)
    moods = {day + datetime.timedelta(days=n): mood for n, mood in {-3: 5, -2: 5, -1: 5}.items()}
    moods |= {
        day + datetime.timedelta(days=n): mood for n, mood in {1: 8, 2: 8, 3: 2, 4: 2}.items()
    }
    today = day + datetime.timedelta(days=10)
    fell = durability.estimate_durability(day, moods, today)
    assert (fell.days, fell.status, fell.pre_level) == (4, durability.FELL_BACK, 5.0)
    moods[day + datetime.timedelta(days=1)] = 5  # at the bar, not below it
    assert durability.estimate_durability(day, moods, today).days == 1
    # Induction infusions against the mood before the series began; a booster against its own.
    assert (
        f"for every infusion of the series, the bar is your mood in the {pre} days before the "
        "series began" in section
    )
    assert f"For a booster, the bar is your mood in the {pre} days before that booster" in section
    series = [day + datetime.timedelta(days=n) for n in (0, 3, 7, 10, 14, 17)]
    booster = day + datetime.timedelta(days=45)
    assert durability.comparison_days([*series, booster]) == [day] * len(series) + [booster]
    # Not yet fallen back, or the next infusion first: lower bounds, left out of the median.
    assert '"at least" so many days' in section
    assert "If your next infusion came first, the count stops there too" in section
    assert "These counts are not used for your usual length, the median" in section
    # One method everywhere.
    assert "Today, Trends and the summary your clinic sees all count the same way" in section


# --- Readability helper -----------------------------------------------------------------


def test_syllable_counter_is_roughly_right() -> None:
    assert count_syllables("cat") == 1
    assert count_syllables("time") == 1
    assert count_syllables("table") == 2
    assert count_syllables("ketamine") == 3
    assert count_syllables("depression") == 3
    assert count_syllables("988") == 3


def test_reading_grade_ranks_hard_text_above_easy_text() -> None:
    easy = "You can rest now. The nurse is here. She will help you."
    hard = (
        "Subanesthetic intravenous administration of racemic ketamine demonstrated "
        "statistically significant antidepressant efficacy in treatment-resistant populations."
    )
    assert reading_grade(easy) < 3
    assert reading_grade(hard) > 12
    assert reading_grade("") == 0.0


# --- The loader rejects bad files -------------------------------------------------------

GOOD_META: dict[str, object] = {
    "title": "A test article",
    "summary": "A short summary.",
    "phases": ["before"],
    "situations": ["general"],
    "order": 1,
    "reviewed": datetime.date(2026, 1, 2),
    "sources": [
        {"title": "Source one (Body, 2020)", "url": "https://www.nimh.nih.gov/health"},
        {"title": "Source two (Body, 2021)", "url": "https://doi.org/10.1000/xyz"},
    ],
}
GOOD_BODY = "## A heading\n\n" + "You can rest now and feel calm. " * 60 + "\n"
_DROP = object()  # marks a front matter key to leave out


def _write(
    folder: Path, name: str = "test-article.md", body: str = GOOD_BODY, **changes: object
) -> Path:
    meta = {**GOOD_META, **changes}
    meta = {key: value for key, value in meta.items() if value is not _DROP}
    front = yaml.safe_dump(meta, sort_keys=False)
    path = folder / name
    path.write_text(f"---\n{front}---\n\n{body}", encoding="utf-8")
    return path


def test_good_file_loads(tmp_path: Path) -> None:
    _write(tmp_path)
    (article,) = load_articles(tmp_path)
    assert article.slug == "test-article"
    assert article.reviewed == datetime.date(2026, 1, 2)
    assert article.sources[1] == Source("Source two (Body, 2021)", "https://doi.org/10.1000/xyz")
    assert article.word_count == 2 + 7 * 60


def test_empty_folder_loads_nothing(tmp_path: Path) -> None:
    assert load_articles(tmp_path) == ()


@pytest.mark.parametrize(
    ("changes", "body", "message"),
    [
        ({"summary": _DROP}, GOOD_BODY, "missing key(s) summary"),
        ({"author": "Someone"}, GOOD_BODY, "unexpected key(s) author"),
        ({"phases": ["aftercare"]}, GOOD_BODY, "unknown phase ['aftercare']"),
        ({"situations": ["bad_day"]}, GOOD_BODY, "unknown situation ['bad_day']"),
        ({"phases": []}, GOOD_BODY, "'phases' must be a non-empty list"),
        (
            {"sources": [{"title": "Only one", "url": "https://doi.org/10.1000/x"}]},
            GOOD_BODY,
            "needs at least 2 sources",
        ),
        (
            {
                "sources": [
                    {"title": "Plain web", "url": "http://www.nimh.nih.gov/health"},
                    {"title": "Fine", "url": "https://doi.org/10.1000/x"},
                ]
            },
            GOOD_BODY,
            "source 1 url is not https",
        ),
        (
            {"sources": [{"title": "No url"}, {"title": "Fine", "url": "https://doi.org/1"}]},
            GOOD_BODY,
            "source 1 must have exactly the keys title and url",
        ),
        ({}, "## Short\n\nToo few words here.\n", "body has 5 words; at least 300 needed"),
        ({}, GOOD_BODY + "\n<div>hello</div>\n", "raw HTML"),
        ({}, GOOD_BODY + "\n<!-- hidden -->\n", "raw HTML"),
        ({"reviewed": "last week"}, GOOD_BODY, "'reviewed' must be a date"),
        ({"order": "first"}, GOOD_BODY, "'order' must be a whole number"),
        ({"title": ""}, GOOD_BODY, "'title' must be non-empty text"),
    ],
)
def test_loader_rejects_a_bad_file(
    tmp_path: Path, changes: dict[str, object], body: str, message: str
) -> None:
    _write(tmp_path, body=body, **changes)
    with pytest.raises(ValueError) as error:
        load_articles(tmp_path)
    assert "test-article.md" in str(error.value)
    assert message in str(error.value)


def test_loader_rejects_a_duplicate_order(tmp_path: Path) -> None:
    _write(tmp_path, name="one.md")
    _write(tmp_path, name="two.md")
    with pytest.raises(ValueError, match=r"two\.md: duplicate order 1 \(also in one\.md\)"):
        load_articles(tmp_path)


def test_loader_rejects_missing_front_matter(tmp_path: Path) -> None:
    (tmp_path / "no-front.md").write_text(GOOD_BODY, encoding="utf-8")
    with pytest.raises(ValueError, match=r"no-front\.md: must start with front matter"):
        load_articles(tmp_path)


def test_loader_rejects_unclosed_front_matter(tmp_path: Path) -> None:
    (tmp_path / "open.md").write_text("---\ntitle: x\n" + GOOD_BODY, encoding="utf-8")
    with pytest.raises(ValueError, match=r"open\.md: front matter has no closing"):
        load_articles(tmp_path)


def test_loader_rejects_invalid_yaml(tmp_path: Path) -> None:
    (tmp_path / "bad-yaml.md").write_text("---\ntitle: [unclosed\n---\n" + GOOD_BODY)
    with pytest.raises(ValueError, match=r"bad-yaml\.md: front matter is not valid YAML"):
        load_articles(tmp_path)


def test_loader_rejects_a_bad_file_name(tmp_path: Path) -> None:
    _write(tmp_path, name="Bad Name.md")
    with pytest.raises(ValueError, match="lowercase slug"):
        load_articles(tmp_path)
