"""The time-zone picker: this phone's zone first, the saved one, the common ones, every place."""

from __future__ import annotations

import reflex as rx

from companion.localtime import COMMON_ZONES, other_zones
from companion.ui.state.zone import ZoneState


def zone_detector() -> rx.Component:
    """A hidden form forms.js fills with this browser's zone and sends (ZoneState.detect).
    Place it outside any other form, and render it only once the page's state has loaded, so
    that React, not the browser, handles its submit."""
    return rx.form(
        rx.el.input(type="hidden", name="zone", default_value=""),
        on_submit=ZoneState.detect,
        reset_on_submit=False,
        hidden=True,
        aria_hidden="true",
        custom_attrs={"data-kc-zone-detect": ""},
    )


def zone_picker(saved: rx.Var[str], saved_label: rx.Var[str], pick_detected: bool) -> rx.Component:
    """A select named "timezone": this phone's zone first when it is not the saved one
    ("Detected on this phone: Chicago (Central Time)", picked when pick_detected, as in the
    first-run set-up), then the saved zone, the zones most pick and every other place by its
    readable name."""
    other = (ZoneState.detected != "") & (ZoneState.detected != saved)
    return rx.el.select(
        rx.cond(other, rx.el.option(ZoneState.detected_label, value=ZoneState.detected)),
        rx.el.option(saved_label, value=saved),
        rx.el.optgroup(
            *[rx.el.option(label, value=name) for name, label in COMMON_ZONES],
            label="Common time zones",
        ),
        rx.el.optgroup(
            *[rx.el.option(label, value=name) for name, label in other_zones()],
            label="All places",
        ),
        id="field-timezone",
        name="timezone",
        default_value=rx.cond(other, ZoneState.detected, saved) if pick_detected else saved,
        # A new default needs a new element: the select is uncontrolled.
        key=saved + "|" + (ZoneState.detected if pick_detected else ""),
        class_name="native-select",
    )
