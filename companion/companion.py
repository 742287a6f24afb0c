"""The app: theme, head tags, pages and HTTP routes. No logic lives here."""

from __future__ import annotations

import reflex as rx
from starlette.applications import Starlette
from starlette.routing import Route

from companion import routes
from companion.api.auth_routes import end_session, start_session
from companion.api.downloads import calendar_feed, export_mine, share_csv, share_fhir
from companion.api.middleware import SecurityHeaders
from companion.content import ARTICLES
from companion.ui.pages import (
    checkin,
    infusions,
    learn,
    login,
    postcheck,
    questionnaire,
    settings,
    share,
    shared,
    signup,
    today,
    trends,
)
from companion.ui.pages import help as help_page
from companion.ui.state.auth import AuthFormState
from companion.ui.state.calendar import CalendarState
from companion.ui.state.checkin import CheckInState
from companion.ui.state.help import HelpState
from companion.ui.state.infusions import InfusionsState
from companion.ui.state.learn import LearnState
from companion.ui.state.postcheck import PostCheckState
from companion.ui.state.questionnaire import QuestionnaireState
from companion.ui.state.settings import SettingsState
from companion.ui.state.share import ShareState
from companion.ui.state.shared import SharedSummaryState
from companion.ui.state.today import TodayState
from companion.ui.state.trends import TrendsState

HEAD = [
    rx.el.link(rel="manifest", href="/manifest.webmanifest"),
    rx.el.link(rel="icon", href="/favicon.ico", sizes="any"),
    rx.el.link(rel="apple-touch-icon", href="/apple-touch-icon.png"),
    rx.el.meta(name="theme-color", content="#0d746b"),
    rx.el.meta(name="color-scheme", content="light dark"),
    rx.el.meta(name="mobile-web-app-capable", content="yes"),
    rx.el.meta(name="apple-mobile-web-app-title", content="Companion"),
    rx.el.meta(
        name="description",
        content="Log your mood between ketamine infusions and share a summary with your clinician.",
    ),
]

api = Starlette(
    routes=[
        Route(routes.AUTH_SESSION, start_session, methods=["POST"]),
        Route(routes.AUTH_SIGNOUT, end_session, methods=["POST"]),
        Route(routes.SHARE_CSV, share_csv),
        Route(routes.SHARE_FHIR, share_fhir),
        Route(routes.EXPORT, export_mine),
        Route(routes.CALENDAR_FEED, calendar_feed),
    ]
)

app = rx.App(
    head_components=HEAD,
    stylesheets=["/app.css"],
    api_transformer=[api, SecurityHeaders],
)

TITLE = "Ketamine Companion"
# (page, route, title, on_load): every private page's on_load checks the session first.
PAGES = [
    (today.today_page, routes.TODAY, "Today", TodayState.load),
    (checkin.checkin_page, routes.CHECKIN, "Check-in", [CheckInState.load, HelpState.load]),
    (infusions.infusions_page, routes.INFUSIONS, "Infusions", InfusionsState.load),
    (
        postcheck.postcheck_page,
        routes.POST_CHECK,
        "Post-infusion check",
        [PostCheckState.load, HelpState.load],
    ),
    (
        questionnaire.phq9_page,
        routes.PHQ9,
        "PHQ-9",
        [QuestionnaireState.start("phq9"), HelpState.load],
    ),
    (
        questionnaire.gad7_page,
        routes.GAD7,
        "GAD-7",
        [QuestionnaireState.start("gad7"), HelpState.load],
    ),
    (trends.trends_page, routes.TRENDS, "Trends", TrendsState.load),
    (learn.learn_page, routes.LEARN, "Learn", LearnState.load),
    (share.share_page, routes.SHARE, "Share", ShareState.load),
    (settings.settings_page, routes.SETTINGS, "Settings", [SettingsState.load, CalendarState.load]),
    (login.login_page, routes.LOGIN, "Sign in", AuthFormState.open_form),
    (signup.signup_page, routes.SIGNUP, "Create account", AuthFormState.open_form),
    (help_page.help_page, routes.HELP, "Get help now", HelpState.load),
]
PAGES += [
    (learn.article_page(a), routes.article(a.slug), a.title, LearnState.open_article(a.slug))
    for a in ARTICLES
]
for component, route, title, on_load in PAGES:
    app.add_page(component, route=route, title=f"{title} · {TITLE}", on_load=on_load)
# Share links: no account, never indexed, no referrer (headers from SecurityHeaders too).
app.add_page(
    shared.shared_page,
    route=routes.SHARED_SUMMARY,
    title=f"Clinician summary · {TITLE}",
    on_load=SharedSummaryState.load,
    meta=[
        {"name": "robots", "content": "noindex, nofollow"},
        {"name": "referrer", "content": "no-referrer"},
    ],
)
