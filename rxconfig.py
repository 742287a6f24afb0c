"""Reflex configuration: our own origin only, no telemetry, no badge, Radix theme.

Tab state lives in memory in one process and in Redis with several workers; never on disk
(Reflex's default writes `.states/*.pkl`, which would keep notes and headers in files).
"""

import reflex as rx

from companion.paint_first import PaintFirst
from companion.radix_css import RadixThemesInOurColours
from companion.settings import settings

config = rx.Config(
    app_name="companion",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    cors_allowed_origins=list(settings.allowed_origins),
    redis_url=settings.redis_url,
    state_manager_mode="redis" if settings.redis_url else "memory",
    # A tab idle this long starts afresh; Redis drops its keys then too (seconds).
    redis_token_expiration=settings.tab_state_seconds,
    trusted_proxy_hops=settings.trusted_proxy_hops,
    frontend_port=settings.port,
    backend_port=settings.port,
    default_color_mode="system",
    plugins=[
        RadixThemesInOurColours(
            theme=rx.theme(
                appearance="inherit",
                accent_color="teal",
                gray_color="slate",
                radius="large",
                scaling="100%",
            )
        ),
        # After the build: each page drawn before its scripts are fetched.
        PaintFirst(),
    ],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
