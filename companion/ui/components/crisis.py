"""The crisis screens: the patient's crisis line and emergency number, their clinic, every
other way to get help, and their safety plan, in the order the moment calls for:

- "urgent" (thoughts with intent or plan): one large call to the crisis line and one to the
  emergency number first, then the clinic, then the rest, then the plan;
- "support" (passing thoughts): the patient's own safety plan first (when there is one), then
  the lines;
- "help" (the help page): the lines, the clinic, then the plan.
"""

from __future__ import annotations

from typing import Literal

import reflex as rx

from companion import routes
from companion.clinical import NOBODY_WATCHING
from companion.ui.state.help import HelpState

Kind = Literal["urgent", "support", "help"]


def _contact(line: rx.Var, big: bool = False) -> rx.Component:
    return rx.el.li(
        rx.link(
            rx.el.span(line["action"], class_name="crisis-action"),
            rx.el.span(line["name"], class_name="crisis-name"),
            href=line["href"],
            underline="none",
            class_name="crisis-link crisis-link-big" if big else "crisis-link",
        )
    )


def clinic_contact() -> rx.Component:
    """The patient's own clinic, when they saved its number in Settings."""
    return rx.cond(
        HelpState.clinic_phone != "",
        rx.el.li(
            rx.link(
                rx.el.span(
                    "Call your clinic: ", HelpState.clinic_phone, class_name="crisis-action"
                ),
                rx.el.span(
                    rx.cond(HelpState.clinic_name != "", HelpState.clinic_name, "Your clinic"),
                    class_name="crisis-name",
                ),
                href="tel:" + HelpState.clinic_phone,
                underline="none",
                class_name="crisis-link",
            )
        ),
    )


def _others() -> rx.Component:
    return rx.foreach(HelpState.other_lines, lambda line: _contact(line))


def safety_plan_card(heading_level: str = "h3") -> rx.Component:
    """The patient's safety plan in their own words, or the way to make one."""

    def step(item: rx.Var) -> rx.Component:
        return rx.el.div(
            rx.el.dt(item["title"]),
            rx.el.dd(item["text"], class_name="plan-text"),
        )

    def helper(person: rx.Var) -> rx.Component:
        return rx.el.li(
            rx.link(
                rx.el.span("Call ", person["name"], class_name="crisis-action"),
                rx.el.span(person["phone"], class_name="crisis-name"),
                href=person["href"],
                underline="none",
                class_name="crisis-link",
            )
        )

    return rx.el.section(
        rx.heading("My safety plan", as_=heading_level, size="4"),
        rx.cond(
            HelpState.has_plan,
            rx.fragment(
                rx.el.dl(rx.foreach(HelpState.plan_steps, step), class_name="plan-steps"),
                rx.cond(
                    HelpState.plan_helpers.length() > 0,
                    rx.el.ul(rx.foreach(HelpState.plan_helpers, helper), class_name="crisis-list"),
                ),
                rx.link("Change my safety plan", href=routes.SAFETY_PLAN),
            ),
            rx.fragment(
                rx.text(
                    "A safety plan is a short list, in your own words, of what helps and who to "
                    "call when things get hard. It takes a few minutes when you feel steady."
                ),
                rx.link("Make my safety plan", href=routes.SAFETY_PLAN),
            ),
        ),
        class_name="plan-card",
        aria_label="My safety plan",
    )


def crisis_panel(kind: Kind = "help", heading_level: str = "h2") -> rx.Component:
    """Every way to get help now, with the plain statement that nobody is watching."""
    heading = {
        "urgent": "Please get help now",
        "support": "Help for right now",
        "help": "If you might act on thoughts of suicide",
    }[kind]
    if kind == "urgent":
        lines = rx.fragment(
            rx.el.ul(
                _contact(HelpState.crisis_line, big=True),
                _contact(HelpState.emergency, big=True),
                class_name="crisis-list crisis-first",
            ),
            rx.el.ul(clinic_contact(), _others(), class_name="crisis-list"),
        )
    else:
        lines = rx.el.ul(
            _contact(HelpState.crisis_line),
            clinic_contact(),
            _others(),
            _contact(HelpState.emergency),
            class_name="crisis-list",
        )
    parts: list[rx.Component] = [
        rx.heading(heading, as_=heading_level, size="5"),
        rx.text(NOBODY_WATCHING, weight="medium"),
    ]
    if kind == "support":
        # The patient's own plan first, when they have one; with none yet, the lines first.
        parts.append(
            rx.cond(
                HelpState.has_plan,
                rx.fragment(
                    safety_plan_card(), rx.text("Or talk to someone now:", weight="bold"), lines
                ),
                rx.fragment(lines, safety_plan_card()),
            )
        )
    else:
        parts += [lines, safety_plan_card()]
    parts.append(rx.text("Numbers for: ", HelpState.country, size="2", class_name="muted"))
    return rx.el.section(
        *parts,
        class_name=f"crisis-panel crisis-{kind}",
        aria_label="Crisis help",
        id="crisis-panel",
    )
