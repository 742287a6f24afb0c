"""Learn: which articles this patient has read; opening an article marks it read."""

from __future__ import annotations

from typing import Any

import reflex as rx

from companion.content import ARTICLES_BY_SLUG
from companion.data import learn
from companion.data.db import session_scope
from companion.ui.state.base import AppState


class LearnState(AppState):
    read: list[str] = []

    @rx.event
    def load(self):
        patient_id = self._require_patient()
        if patient_id is None:
            return self._to_login()
        with session_scope() as session:
            self.read = sorted(learn.read_slugs(session, patient_id))
        return None

    @rx.event
    def open_article(self, slug: Any):
        """On load of /learn/<slug>: only the app's own slugs are recorded."""
        patient_id = self._require_patient()
        if patient_id is None:
            return self._to_login()
        if not isinstance(slug, str) or slug not in ARTICLES_BY_SLUG:
            return None
        with session_scope() as session:
            learn.mark_read(session, patient_id, slug)
        if slug not in self.read:
            self.read = sorted([*self.read, slug])
        return None
