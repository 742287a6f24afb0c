"""submission: the id a phone gives each entry, kept once per patient, so a repeat of the
same id saves nothing twice

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=True),
        sa.Column("response", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patient.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "patient_id", "submission_id", name="uq_submission_patient_submission"
        ),
    )
    with op.batch_alter_table("submission") as batch:
        batch.create_index("ix_submission_patient_id", ["patient_id"], unique=False)
        batch.create_index("ix_submission_created_at", ["created_at"], unique=False)


def downgrade() -> None:
    op.drop_table("submission")
