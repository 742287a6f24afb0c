"""The Learn library: loads the Markdown articles in ``articles/`` and checks each one.

Pure: the standard library and PyYAML only. Loaded once at import; a bad file stops start-up
with a ``ValueError`` that names the file and the problem.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

ARTICLES_FOLDER = Path(__file__).parent / "articles"

# Treatment phases an article can fit (see clinical phases: before the first infusion, the
# induction series, maintenance with boosters).
PHASES: tuple[str, ...] = ("before", "induction", "maintenance")

# Moments in treatment the Today page can pick an article for.
SITUATIONS: tuple[str, ...] = (
    "safety_event",
    "infusion_day",
    "day_after",
    "phq9_completed",
    "mood_falling",
    "before_first",
    "induction",
    "maintenance",
    "general",
)

FRONT_MATTER_KEYS: frozenset[str] = frozenset(
    {"title", "summary", "phases", "situations", "order", "reviewed", "sources"}
)
SOURCE_KEYS: frozenset[str] = frozenset({"title", "url"})
MIN_SOURCES = 2
MIN_WORDS = 300

NOT_MEDICAL_ADVICE = (
    "This article is general information, not medical advice. "
    "Talk to your clinic about your own treatment."
)

# The Learn list, grouped by where the patient is in treatment. Every article appears once.
STAGE_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Before you start",
        ("how-ketamine-works", "first-consultation", "first-infusion", "safety-and-misuse"),
    ),
    ("During the induction series", ("why-six",)),
    ("After an infusion", ("first-24-hours", "side-effects")),
    ("Maintenance and boosters", ("boosters-and-maintenance", "noticing-a-dip")),
    ("Tracking and sharing", ("what-to-track", "clinician-summary")),
)

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Any tag-like "<x", "</x" or "<!--": the body is rendered as Markdown and must stay plain.
_RAW_HTML = re.compile(r"<\s*[A-Za-z!/?]")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’.\-][A-Za-z0-9]+)*")


@dataclass(frozen=True)
class Source:
    """A reputable page an article's facts come from."""

    title: str
    url: str


@dataclass(frozen=True)
class Article:
    """One Learn article: its front matter and its Markdown body."""

    slug: str
    title: str
    summary: str
    phases: tuple[str, ...]
    situations: tuple[str, ...]
    order: int
    reviewed: datetime.date
    sources: tuple[Source, ...]
    body: str
    word_count: int


def _plain_text(markdown: str) -> str:
    """Markdown reduced to the words a reader sees.

    Headings, list items and paragraphs end where their line ends, so each becomes its own
    sentence for the readability score (a heading or bullet is read as a unit); a line
    ending in ":" or ";" runs on into the next one.
    """
    blocks: list[str] = []
    for raw_line in markdown.splitlines():
        line = raw_line.strip()
        if not line:
            continue
        line = re.sub(r"^#{1,6}\s+", "", line)  # heading marks
        line = re.sub(r"^(?:[-*+]|\d+[.)])\s+", "", line)  # bullet or number
        line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)  # link text only
        line = re.sub(r"[*_`>]+", "", line).strip()  # emphasis, code, quotes
        if not line:
            continue
        if line[-1] not in ".!?:;":
            line += "."
        blocks.append(line)
    return "\n".join(blocks)


def count_words(text: str) -> int:
    """Words in Markdown text, ignoring its markup ("0.5", "mg/kg" and "24-hour" count once)."""
    return len(_WORD.findall(_plain_text(text)))


def count_syllables(word: str) -> int:
    """An approximate syllable count: groups of vowels, less a silent final "e".

    Good enough for a readability estimate; English spelling defeats any short rule.
    A number counts one syllable per digit, roughly how it is read ("988": nine-eight-eight).
    """
    word = word.lower().strip("'’.-")
    if not word:
        return 0
    if word.isdigit():
        return len(word)
    letters = re.sub(r"[^a-z]", "", word)
    if not letters:
        return max(1, sum(ch.isdigit() for ch in word))
    groups = len(re.findall(r"[aeiouy]+", letters))
    if letters.endswith("e") and not letters.endswith(("le", "ee", "ye")) and groups > 1:
        groups -= 1  # silent e: "time", "care"
    return max(1, groups)


def reading_grade(text: str) -> float:
    """Flesch–Kincaid grade level of Markdown text (approximate).

    grade = 0.39 × (words / sentences) + 11.8 × (syllables / words) − 15.59
    (Kincaid et al., 1975). Syllables come from a simple vowel-group counter and sentences
    end at ".", "!", "?" or the end of a heading, paragraph or list item, so the result is an
    estimate within about a grade of what other tools report.
    """
    plain = _plain_text(text)
    words = _WORD.findall(plain)
    if not words:
        return 0.0
    sentences = [s for s in re.split(r"[.!?]+(?=\s|$)", plain) if _WORD.search(s)]
    syllables = sum(count_syllables(w) for w in words)
    n_words = len(words)
    n_sentences = max(1, len(sentences))
    return 0.39 * (n_words / n_sentences) + 11.8 * (syllables / n_words) - 15.59


def _split_front_matter(text: str, name: str) -> tuple[str, str]:
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise ValueError(f"{name}: must start with front matter between '---' lines")
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]).strip() + "\n"
    raise ValueError(f"{name}: front matter has no closing '---' line")


def _tags(value: object, allowed: tuple[str, ...], key: str, name: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise ValueError(f"{name}: '{key}' must be a non-empty list")
    unknown = [v for v in value if v not in allowed]
    if unknown:
        raise ValueError(f"{name}: unknown {key[:-1]} {unknown!r}; allowed: {', '.join(allowed)}")
    if len(set(value)) != len(value):
        raise ValueError(f"{name}: '{key}' lists a value twice")
    return tuple(value)


def _text(meta: dict[str, object], key: str, name: str) -> str:
    value = meta[key]
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name}: '{key}' must be non-empty text")
    return value.strip()


def _sources(value: object, name: str) -> tuple[Source, ...]:
    if not isinstance(value, list) or len(value) < MIN_SOURCES:
        raise ValueError(f"{name}: needs at least {MIN_SOURCES} sources")
    sources: list[Source] = []
    for index, item in enumerate(value, start=1):
        if not isinstance(item, dict) or set(item) != SOURCE_KEYS:
            raise ValueError(f"{name}: source {index} must have exactly the keys title and url")
        title, url = item["title"], item["url"]
        if not isinstance(title, str) or not title.strip():
            raise ValueError(f"{name}: source {index} needs a title")
        if not isinstance(url, str):
            raise ValueError(f"{name}: source {index} url must be text")
        parts = urlsplit(url)
        if parts.scheme != "https" or not parts.hostname:
            raise ValueError(f"{name}: source {index} url is not https: {url}")
        sources.append(Source(title=title.strip(), url=url))
    return tuple(sources)


def parse_article(path: Path) -> Article:
    """Read and check one article file; raise ValueError naming the file and the problem."""
    name = path.name
    slug = path.stem
    if not _SLUG.match(slug):
        raise ValueError(f"{name}: file name must be a lowercase slug like 'first-infusion.md'")
    front, body = _split_front_matter(path.read_text(encoding="utf-8"), name)
    try:
        meta = yaml.safe_load(front)
    except yaml.YAMLError as error:
        raise ValueError(f"{name}: front matter is not valid YAML ({error})") from error
    if not isinstance(meta, dict):
        raise ValueError(f"{name}: front matter must be a mapping of keys")

    missing = FRONT_MATTER_KEYS - set(meta)
    if missing:
        raise ValueError(f"{name}: missing key(s) {', '.join(sorted(missing))}")
    extra = set(meta) - FRONT_MATTER_KEYS
    if extra:
        raise ValueError(f"{name}: unexpected key(s) {', '.join(sorted(map(str, extra)))}")

    order = meta["order"]
    if not isinstance(order, int) or isinstance(order, bool) or order < 1:
        raise ValueError(f"{name}: 'order' must be a whole number from 1")
    reviewed = meta["reviewed"]
    if not isinstance(reviewed, datetime.date) or isinstance(reviewed, datetime.datetime):
        raise ValueError(f"{name}: 'reviewed' must be a date like 2026-11-27")

    if _RAW_HTML.search(body):
        raise ValueError(f"{name}: body contains raw HTML; use plain Markdown")
    word_count = count_words(body)
    if word_count < MIN_WORDS:
        raise ValueError(f"{name}: body has {word_count} words; at least {MIN_WORDS} needed")

    return Article(
        slug=slug,
        title=_text(meta, "title", name),
        summary=_text(meta, "summary", name),
        phases=_tags(meta["phases"], PHASES, "phases", name),
        situations=_tags(meta["situations"], SITUATIONS, "situations", name),
        order=order,
        reviewed=reviewed,
        sources=_sources(meta["sources"], name),
        body=body,
        word_count=word_count,
    )


def load_articles(folder: Path | None = None) -> tuple[Article, ...]:
    """Every ``*.md`` article in ``folder`` (default: the bundled ones), sorted by order."""
    folder = ARTICLES_FOLDER if folder is None else folder
    articles = [parse_article(path) for path in sorted(folder.glob("*.md"))]
    seen: dict[int, str] = {}
    for article in articles:
        if article.order in seen:
            raise ValueError(
                f"{article.slug}.md: duplicate order {article.order} "
                f"(also in {seen[article.order]}.md)"
            )
        seen[article.order] = article.slug
    return tuple(sorted(articles, key=lambda article: article.order))


ARTICLES: tuple[Article, ...] = load_articles()
ARTICLES_BY_SLUG: dict[str, Article] = {article.slug: article for article in ARTICLES}
