"""Reflex configuration: our own origin only, no telemetry, no badge, Radix theme."""

import reflex as rx

from companion.settings import settings

config = rx.Config(
    app_name="companion",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    cors_allowed_origins=list(settings.allowed_origins),
    redis_url=settings.redis_url,
    frontend_port=settings.port,
    backend_port=settings.port,
    default_color_mode="system",
    plugins=[
        rx.plugins.RadixThemesPlugin(
            theme=rx.theme(
                appearance="inherit",
                accent_color="teal",
                gray_color="slate",
                radius="large",
                scaling="100%",
            )
        ),
    ],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
