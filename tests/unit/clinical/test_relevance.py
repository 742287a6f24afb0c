"""Situations in priority order, and which article Today picks for them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from companion.clinical.relevance import (
    REASONS,
    SITUATIONS,
    ArticlePick,
    ArticleTag,
    describe_situation,
    pick_article,
)

TODAY = date(2026, 6, 15)


def ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def situations(
    done: list[date] | None = None,
    mood: dict[date, float] | None = None,
    phq9: list[date] | None = None,
    safety: list[date] | None = None,
) -> list[str]:
    return describe_situation(TODAY, done or [], mood or {}, phq9 or [], safety or [])


def test_reasons() -> None:
    assert REASONS == {
        "safety_event": "Because you noted difficult thoughts recently",
        "infusion_day": "Because you had an infusion today",
        "day_after": "Because you had an infusion yesterday",
        "phq9_completed": "Because you just completed a PHQ-9",
        "mood_falling": "Because your mood has dipped for a few days",
        "before_first": "Because your first infusion is still ahead",
        "induction": "Because you are in your induction series",
        "maintenance": "Because you are in the maintenance phase",
    }
    assert [s.key for s in SITUATIONS] == list(REASONS)


def test_nothing_yet() -> None:
    assert situations() == ["before_first"]


def test_infusion_today_in_induction() -> None:
    assert situations(done=[ago(2), TODAY]) == ["infusion_day", "induction"]


def test_day_after() -> None:
    assert situations(done=[ago(1)]) == ["day_after", "induction"]
    assert situations(done=[ago(40), ago(2)]) == ["maintenance"]


def test_infusion_today_and_yesterday() -> None:
    assert situations(done=[ago(1), TODAY]) == ["infusion_day", "day_after", "induction"]


def test_maintenance() -> None:
    assert situations(done=[ago(60), ago(30)]) == ["maintenance"]


@pytest.mark.parametrize(("days_ago", "included"), [(0, True), (2, True), (3, False), (-1, False)])
def test_safety_event_lasts_three_days(days_ago: int, included: bool) -> None:
    result = situations(safety=[ago(days_ago)])
    assert ("safety_event" in result) is included


@pytest.mark.parametrize(("days_ago", "included"), [(0, True), (1, True), (2, False)])
def test_phq9_completed_today_or_yesterday(days_ago: int, included: bool) -> None:
    assert ("phq9_completed" in situations(phq9=[ago(days_ago)])) is included


def test_mood_falling() -> None:
    mood = {ago(3): 8.0, ago(2): 7.0, ago(1): 6.0, TODAY: 4.0}
    assert situations(mood=mood) == ["mood_falling", "before_first"]


def test_everything_in_priority_order() -> None:
    mood = {ago(3): 8.0, ago(2): 7.0, ago(1): 6.0, TODAY: 4.0}
    result = situations(done=[ago(1), TODAY], mood=mood, phq9=[TODAY], safety=[ago(1)])
    assert result == [
        "safety_event",
        "infusion_day",
        "day_after",
        "phq9_completed",
        "mood_falling",
        "induction",
    ]


@pytest.mark.parametrize("done", [[], [TODAY], [ago(25)], [ago(200)], [ago(300), ago(2)]])
def test_always_exactly_one_phase_last(done: list[date]) -> None:
    result = situations(done=done)
    phases = [s for s in result if s in ("before_first", "induction", "maintenance")]
    assert len(phases) == 1
    assert result[-1] == phases[0]


# pick_article

ARTICLES = [
    ArticleTag("how-ketamine-works", (), ("before",)),
    ArticleTag("first-infusion", ("before_first",), ("before",)),
    ArticleTag("first-24-hours", ("infusion_day", "day_after"), ("induction",)),
    ArticleTag("why-six", (), ("induction",)),
    ArticleTag("boosters", (), ("maintenance",)),
    ArticleTag("noticing-a-dip", ("mood_falling",), ()),
    ArticleTag("safety", ("safety_event",), ()),
    ArticleTag("clinician-summary", ("phq9_completed",), ("induction", "maintenance")),
    ArticleTag("side-effects", ("day_after",), ()),
]


@pytest.mark.parametrize(
    ("situation", "slug"),
    [
        ("safety_event", "safety"),
        ("infusion_day", "first-24-hours"),
        ("day_after", "first-24-hours"),
        ("phq9_completed", "clinician-summary"),
        ("mood_falling", "noticing-a-dip"),
        ("before_first", "first-infusion"),  # tagged with the situation beats phase-only
        ("induction", "first-24-hours"),
        ("maintenance", "boosters"),
    ],
)
def test_pick_per_situation(situation: str, slug: str) -> None:
    assert pick_article([situation], ARTICLES) == ArticlePick(slug, situation, REASONS[situation])


def test_top_situation_wins() -> None:
    pick = pick_article(["safety_event", "day_after", "maintenance"], ARTICLES)
    assert pick == ArticlePick("safety", "safety_event", REASONS["safety_event"])


def test_unread_preferred_within_a_situation() -> None:
    pick = pick_article(["day_after"], ARTICLES, read={"first-24-hours"})
    assert pick == ArticlePick("side-effects", "day_after", REASONS["day_after"])


def test_unread_for_a_lower_situation_beats_read_for_the_top() -> None:
    pick = pick_article(["mood_falling", "maintenance"], ARTICLES, read={"noticing-a-dip"})
    assert pick == ArticlePick("boosters", "maintenance", REASONS["maintenance"])


def test_all_read_falls_back_to_first_match_of_top_situation() -> None:
    read = {article.slug for article in ARTICLES}
    pick = pick_article(["mood_falling", "maintenance"], ARTICLES, read=read)
    assert pick == ArticlePick("noticing-a-dip", "mood_falling", REASONS["mood_falling"])


def test_all_read_and_top_has_no_match_uses_the_next_that_has_one() -> None:
    articles = [ArticleTag("boosters", (), ("maintenance",))]
    pick = pick_article(["safety_event", "maintenance"], articles, read={"boosters"})
    assert pick == ArticlePick("boosters", "maintenance", REASONS["maintenance"])


def test_situation_without_articles_is_skipped() -> None:
    articles = [ArticleTag("boosters", (), ("maintenance",))]
    pick = pick_article(["safety_event", "maintenance"], articles)
    assert pick == ArticlePick("boosters", "maintenance", REASONS["maintenance"])


def test_phase_tag_does_not_match_event_situations() -> None:
    articles = [ArticleTag("why-six", (), ("induction",))]
    assert pick_article(["infusion_day"], articles) is None


def test_nothing_fits() -> None:
    assert pick_article(["maintenance"], []) is None
    assert pick_article([], ARTICLES) is None


def test_unknown_situation() -> None:
    with pytest.raises(ValueError, match="Unknown situation"):
        pick_article(["holiday"], ARTICLES)


def test_end_to_end_from_describe_situation() -> None:
    result = describe_situation(TODAY, [ago(1)], {}, [], [])
    assert pick_article(result, ARTICLES, read={"first-24-hours"}) == ArticlePick(
        "side-effects", "day_after", "Because you had an infusion yesterday"
    )


def test_an_article_tagged_with_the_situation_beats_one_that_only_shares_its_phase() -> None:
    articles = [
        ArticleTag("general-science", ("before_first",), ("before", "induction", "maintenance")),
        ArticleTag("boosters", ("maintenance",), ("maintenance",)),
    ]
    pick = pick_article(["maintenance"], articles)
    assert pick is not None and pick.slug == "boosters"
    read_pick = pick_article(["maintenance"], articles, read={"boosters"})
    assert read_pick is not None and read_pick.slug == "general-science"
