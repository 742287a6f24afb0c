"""Indexes for views that read a period, not the whole record (issue 12): a patient's check-ins
by last change, questionnaires by day, infusions by start

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 09:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("checkin", "ix_checkin_patient_updated", ["patient_id", "updated_at"]),
    ("questionnaire_response", "ix_response_patient_day", ["patient_id", "day", "completed_at"]),
    ("infusion", "ix_infusion_patient_starts", ["patient_id", "starts_at"]),
)


def upgrade() -> None:
    for table, name, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for table, name, _ in INDEXES:
        op.drop_index(name, table_name=table)
