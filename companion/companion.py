"""The app: theme, head tags, pages and HTTP routes. No logic lives here."""

from __future__ import annotations

import logging

import reflex as rx
from starlette.applications import Starlette
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp

from companion import routes
from companion.api import auth_routes, entries, health, trends_chart
from companion.api import help_page as offline_help
from companion.api import shared as shared_routes
from companion.api import shl as shl_routes
from companion.api.downloads import calendar_feed, export_mine
from companion.api.middleware import SecurityHeaders
from companion.assets import script_tags
from companion.content import ARTICLES
from companion.security import tabs
from companion.security.tabs import TabGuard
from companion.ui.pages import (
    checkin,
    infusions,
    learn,
    login,
    postcheck,
    questionnaire,
    safety_plan,
    settings,
    setup,
    share,
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
from companion.ui.state.safety_plan import SafetyPlanState
from companion.ui.state.settings import SettingsState
from companion.ui.state.setup import SetupState
from companion.ui.state.share import ShareState
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
    # The app's own scripts: static files, so the Content-Security-Policy needs no eval.
    # connection.js first: it watches the app's websocket from its start. Deferred, it still
    # runs before the app's bundle (deferred and module scripts run in document order, and the
    # bundle is imported by a module script at the end of the body) without holding the first
    # paint back for its download, as a blocking script in the head did (issue 12).
    *script_tags(
        "connection.js", "forms.js", "actions.js", "outbox.js", "roving.js", "sw-register.js"
    ),
]

api = Starlette(
    routes=[
        Route(routes.HELP_OFFLINE, offline_help.offline_help),
        Route(routes.SERVICE_WORKER, offline_help.service_worker),
        Route(routes.ENTRIES, entries.post_entry, methods=["POST"]),
        WebSocketRoute(routes.ENTRIES_SOCKET, entries.entries_socket),
        Route(routes.HEALTHZ, health.healthz, methods=["GET"]),
        Route(routes.AUTH_SIGNIN, auth_routes.sign_in, methods=["POST"]),
        Route(routes.AUTH_SIGNUP, auth_routes.sign_up, methods=["POST"]),
        Route(routes.AUTH_SIGNOUT, auth_routes.sign_out, methods=["POST"]),
        Route(routes.AUTH_DELETE, auth_routes.delete_account, methods=["POST"]),
        Route(routes.SHARE_PAGE, shared_routes.show, methods=["GET"]),
        Route(routes.SHARE_PAGE, shared_routes.act, methods=["POST"]),
        Route(routes.SHARE_CSV, shared_routes.download_csv),
        Route(routes.SHARE_FHIR, shared_routes.download_fhir),
        Route(routes.SHL_MANIFEST, shl_routes.manifest, methods=["POST"]),
        Route(routes.SHL_MANIFEST, shl_routes.preflight, methods=["OPTIONS"]),
        Route(routes.SHL_FILE, shl_routes.file, methods=["GET"]),
        Route(routes.EXPORT, export_mine),
        Route(routes.CALENDAR_FEED, calendar_feed),
        Route(routes.TRENDS_CHART_SVG, trends_chart.chart_image, methods=["GET"]),
    ]
)


def quiet_backend_errors(exception: Exception) -> None:
    """Logged, never shown as a generic "An error occurred": every handler answers bad input
    with its own message, and entries are kept on the phone until the server has them."""
    logging.getLogger("companion").exception("event handler failed", exc_info=exception)


class CompanionApp(rx.App):
    """Reflex's App, with the SMART Health Link routes open to every origin (an EHR's page):
    Reflex wraps everything, api_transformer included, in a CORS layer for this origin only."""

    def __call__(self) -> ASGIApp:
        return shl_routes.AnyOrigin(super().__call__())


app = CompanionApp(
    head_components=HEAD,
    backend_exception_handler=quiet_backend_errors,
    stylesheets=["/app.css"],
    # TabGuard outermost: it sees the websocket handshake before Reflex does.
    api_transformer=[api, SecurityHeaders, TabGuard],
)
tabs.install(app)
# The app says what the connection is doing in its own line (assets/js/connection.js), which
# never covers Save or the tab bar: not the framework's "Cannot connect to server" toast.
app.app_wraps.pop((5, "Overlay"), None)

TITLE = "Ketamine Companion"
# (page, route, title, on_load): every private page's on_load checks the session first.
PAGES = [
    (today.today_page, routes.TODAY, "Today", [TodayState.load, HelpState.load]),
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
    (setup.setup_page, routes.SETUP, "Set up", [SetupState.load, CalendarState.load]),
    (login.login_page, routes.LOGIN, "Sign in", AuthFormState.open_form),
    (signup.signup_page, routes.SIGNUP, "Create account", AuthFormState.open_form),
    (help_page.help_page, routes.HELP, "Get help now", HelpState.load),
    (safety_plan.safety_plan_page, routes.SAFETY_PLAN, "My safety plan", SafetyPlanState.load),
]
PAGES += [
    (learn.article_page(a), routes.article(a.slug), a.title, LearnState.open_article(a.slug))
    for a in ARTICLES
]
for component, route, title, on_load in PAGES:
    app.add_page(component, route=route, title=f"{title} · {TITLE}", on_load=on_load)
