"""ix_post_check_patient_infusion: a period's post-infusion checks found by (patient, infusion),
so that reading the checks of a month's infusions does not walk every check the patient made

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 02:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_post_check_patient_infusion", "post_infusion_check", ["patient_id", "infusion_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_post_check_patient_infusion", table_name="post_infusion_check")
