"""Learn marks articles read; Today then prefers one the patient has not read."""

from __future__ import annotations

from sqlmodel import select

from companion.content import ARTICLES_BY_SLUG
from companion.data.learn import ArticleRead
from companion.summary import build_today
from companion.ui.components.markdown import markdown_to_components
from companion.ui.state.learn import LearnState
from tests.state_helpers import make_state


def test_opening_an_article_marks_it_read_once(session, patient):
    state = make_state(LearnState, patient.token)
    state.load()
    assert state.read == []
    state.open_article("why-six")
    state.open_article("why-six")
    assert state.read == ["why-six"]
    rows = session.exec(select(ArticleRead)).all()
    assert [(r.patient_id, r.slug) for r in rows] == [(patient.id, "why-six")]


def test_unknown_slugs_are_ignored(session, patient):
    state = make_state(LearnState, patient.token)
    state.open_article("../../etc/passwd")
    state.open_article(["why-six"])
    assert session.exec(select(ArticleRead)).all() == []


def test_today_moves_on_to_an_unread_article(session, patient):
    first = build_today(session, patient.id).article
    assert first is not None
    make_state(LearnState, patient.token).open_article(first.slug)
    second = build_today(session, patient.id).article
    assert second is not None and second.slug != first.slug
    assert second.reason == first.reason == "Because your first infusion is still ahead"


def test_markdown_becomes_plain_elements_without_raw_html():
    rendered = "".join(str(c) for c in markdown_to_components(ARTICLES_BY_SLUG["why-six"].body))
    assert 'jsx("h2"' in rendered and 'jsx("p"' in rendered
    hostile = "".join(str(c) for c in markdown_to_components("<script>alert(1)</script>\n\n**b**"))
    assert "dangerouslySetInnerHTML" not in hostile
    assert 'jsx("script"' not in hostile
    assert 'jsx("strong"' in hostile


def test_markdown_lists_and_links_to_the_apps_own_pages():
    text = "- one\n- two\n\n3. third\n4. fourth\n\nSee the **[Get help now page](/help)**."
    rendered = "".join(str(c) for c in markdown_to_components(text))
    assert rendered.count('jsx("li"') == 4
    assert 'jsx("ul"' in rendered and 'jsx("ol",{start:3}' in rendered
    assert 'jsx(ReactRouterLink,{to:"/help"},"Get help now page")' in rendered
    # A scheme markdown-it refuses never becomes a link; it stays as the literal text.
    hostile = "".join(str(c) for c in markdown_to_components("[x](javascript:alert(1))"))
    assert "ReactRouterLink" not in hostile and "href" not in hostile
