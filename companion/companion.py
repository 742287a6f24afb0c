"""The app: theme, head tags, pages and HTTP routes. No logic lives here."""

from __future__ import annotations

import reflex as rx
from starlette.applications import Starlette
from starlette.routing import Route

from companion import routes
from companion.api.auth_routes import end_session, start_session
from companion.api.middleware import SecurityHeaders
from companion.ui.pages import help as help_page
from companion.ui.pages import login, placeholders, settings, signup
from companion.ui.state.auth import AuthFormState
from companion.ui.state.base import AppState
from companion.ui.state.help import HelpState
from companion.ui.state.settings import SettingsState

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
    ]
)

app = rx.App(
    head_components=HEAD,
    stylesheets=["/app.css"],
    api_transformer=[api, SecurityHeaders],
)

TITLE = "Ketamine Companion"
app.add_page(
    placeholders.today_page, route=routes.TODAY, title=f"Today · {TITLE}", on_load=AppState.guard
)
app.add_page(
    placeholders.checkin_page,
    route=routes.CHECKIN,
    title=f"Check-in · {TITLE}",
    on_load=AppState.guard,
)
app.add_page(
    placeholders.trends_page, route=routes.TRENDS, title=f"Trends · {TITLE}", on_load=AppState.guard
)
app.add_page(
    placeholders.learn_page, route=routes.LEARN, title=f"Learn · {TITLE}", on_load=AppState.guard
)
app.add_page(
    placeholders.share_page, route=routes.SHARE, title=f"Share · {TITLE}", on_load=AppState.guard
)
app.add_page(
    settings.settings_page,
    route=routes.SETTINGS,
    title=f"Settings · {TITLE}",
    on_load=SettingsState.load,
)
app.add_page(
    login.login_page,
    route=routes.LOGIN,
    title=f"Sign in · {TITLE}",
    on_load=AuthFormState.open_form,
)
app.add_page(
    signup.signup_page,
    route=routes.SIGNUP,
    title=f"Create account · {TITLE}",
    on_load=AuthFormState.open_form,
)
app.add_page(
    help_page.help_page, route=routes.HELP, title=f"Get help now · {TITLE}", on_load=HelpState.load
)
