"""The patient's side of sharing: make a link, see who opened it, revoke or unlock it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import reflex as rx
import segno

from companion.api import shl
from companion.clinical import format_short_date
from companion.data import accounts, shares
from companion.data.db import session_scope, utcnow
from companion.localtime import to_local
from companion.security import sharing
from companion.ui.state.base import NOT_ACTED, Acted, AppState, whole_id, without_secrets

OUTCOMES = {
    "opened": "Opened",
    "wrong_passcode": "Wrong passcode",
    "download_csv": "Downloaded CSV",
    "download_fhir": "Downloaded FHIR",
    "shl_manifest": "Fetched by a health record app",
}


@dataclass
class ViewItem:
    at: str = ""
    device: str = ""
    name: str = ""
    outcome: str = ""


@dataclass
class LinkItem:
    id: int = 0
    created: str = ""
    expires: str = ""
    period: str = ""
    notes: bool = False
    safety_plan: bool = False
    passcode: bool = False
    status: str = ""
    active: bool = False
    locked: bool = False
    views: int = 0
    last_viewed: str = ""
    log: list[ViewItem] = field(default_factory=list)


class ShareState(AppState):
    links: list[LinkItem] = []
    new_url: str = ""
    new_qr: str = ""
    error: str = ""
    status: str = ""
    form_key: int = 0
    _created: Acted = NOT_ACTED

    def _refresh(self, patient_id: int) -> None:
        now = utcnow()
        with session_scope() as session:
            tz = accounts.timezone_of(session, patient_id)
            links = shares.list_links(session, patient_id)
            views = shares.list_views(session, patient_id)

        def stamp(moment: Any) -> str:
            if moment is None:
                return "never"
            local = to_local(moment, tz)
            return f"{format_short_date(local.date())} {local.year}, {local:%H:%M}"

        by_link: dict[int, list[ViewItem]] = {}
        for view in views:
            by_link.setdefault(view.link_id, []).append(
                ViewItem(
                    at=stamp(view.at),
                    device=view.device,
                    name=view.viewer_name or "(no name given)",
                    outcome=OUTCOMES.get(view.outcome, view.outcome),
                )
            )
        items = []
        for link in links:
            if link.revoked_at is not None:
                state = "Revoked"
            elif link.expires_at <= now:
                state = "Expired"
            elif link.locked:
                state = "Locked after wrong passcodes"
            else:
                state = "Active"
            items.append(
                LinkItem(
                    id=link.id or 0,
                    created=stamp(link.created_at),
                    expires=stamp(link.expires_at),
                    period=sharing.PERIODS[link.period][0],
                    notes=link.include_notes,
                    safety_plan=link.include_safety_plan,
                    passcode=link.passcode_hash is not None,
                    status=state,
                    active=state == "Active",
                    locked=state.startswith("Locked"),
                    views=link.view_count,
                    last_viewed=stamp(link.last_viewed_at),
                    log=by_link.get(link.id or 0, []),
                )
            )
        self.links = items

    def __getstate__(self) -> dict[str, object]:
        return without_secrets(super().__getstate__(), ("new_url", "new_qr"))

    @rx.event
    def load(self):
        patient_id = self._require_patient()
        if patient_id is None:
            return self._to_login()
        # A late on_load of the visit that created a link must not hide it (shown only once).
        if not self._same_visit(self._created):
            self.error = self.status = ""
            self.new_url = self.new_qr = ""
        self._refresh(patient_id)
        return None

    @rx.event
    def create(self, form: Any):
        patient_id = self._require_patient()
        if patient_id is None:
            return self._to_login()
        form = form if isinstance(form, dict) else {}
        with session_scope() as session:
            made = sharing.create_share_link(
                session,
                patient_id,
                form.get("expiry_days"),
                form.get("period"),
                form.get("include_notes", ""),
                form.get("passcode", ""),
                include_safety_plan=form.get("include_safety_plan", ""),
            )
            # Also a SMART Health Link: its key is only in this address, after the '#'.
            url = shl.seal(session, made.link, made.token) if made.link is not None else ""
        if made.link is None:
            self.error = made.message
            return None
        # Shown this once: only the token's hash and the sealed file are kept, so the link
        # cannot be shown again later.
        self.new_url = url
        self.new_qr = segno.make(url, error="m").svg_data_uri(scale=4, border=2)
        self.error = ""
        self.status = "Link created. Copy it now: for your privacy it is shown only once."
        self._created = self._acted_now()
        self.form_key += 1
        self._refresh(patient_id)
        return None

    def _on_link(self, link_id: Any, action: Callable[..., bool], done: str):
        """Revoke or unlock one of this patient's links; ids from the browser are checked."""
        patient_id = self._require_patient()
        if patient_id is None:
            return self._to_login()
        number = whole_id(link_id)
        with session_scope() as session:
            changed = number is not None and action(session, patient_id, number)
        if not changed:
            self.error = "That link was not found."
            return None
        self.error = ""
        self.status = done
        self._refresh(patient_id)
        return None

    @rx.event
    def revoke(self, link_id: Any):
        return self._on_link(link_id, sharing.revoke, "Link revoked: it stopped working at once.")

    @rx.event
    def unlock(self, link_id: Any):
        return self._on_link(link_id, sharing.unlock, "Link unlocked.")
