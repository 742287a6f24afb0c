"""The time zone this browser is in, as the time-zone pickers offer it first (Settings, set-up).

forms.js sends it once a picker's page has loaded (Intl.DateTimeFormat's resolvedOptions): the
Content-Security-Policy allows no eval, so no rx.call_script. It is kept for this tab only and
saved for the patient only when they save the picker's form.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from companion.localtime import is_valid_timezone, readable_zone

DETECTED = "Detected on this phone: "


class ZoneState(rx.State):
    """Not an AppState: it reads and writes nothing of the patient's, only this tab's zone."""

    detected: str = ""

    @rx.var
    def detected_label(self) -> str:
        return f"{DETECTED}{readable_zone(self.detected)}" if self.detected else ""

    @rx.event
    def detect(self, form: Any):
        """The zone the browser says it is in; anything that is not a known zone is dropped."""
        zone = form.get("zone") if isinstance(form, dict) else None
        self.detected = zone if isinstance(zone, str) and is_valid_timezone(zone) else ""
