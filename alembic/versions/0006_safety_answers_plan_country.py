"""safety: an unanswered suicidal-thoughts question stays unanswered (NULL); the patient's
country for crisis lines; a personal safety plan; share links may include it

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing rows keep what they hold: this only allows NULL from now on. (Rows saved before
    # stored "none" for an unanswered question too; nothing can tell those apart now.)
    with op.batch_alter_table("checkin") as batch:
        batch.alter_column(
            "suicidal_thoughts",
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=10),
            nullable=True,
        )
    with op.batch_alter_table("patient") as batch:
        batch.add_column(
            sa.Column(
                "crisis_country",
                sqlmodel.sql.sqltypes.AutoString(length=8),
                nullable=False,
                server_default="",
            )
        )
    with op.batch_alter_table("share_link") as batch:
        batch.add_column(
            sa.Column(
                "include_safety_plan", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    op.create_table(
        "safety_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("warning_signs", sa.Text(), nullable=False),
        sa.Column("coping", sa.Text(), nullable=False),
        sa.Column("distractions", sa.Text(), nullable=False),
        sa.Column("helpers", sa.Text(), nullable=False),
        sa.Column("professionals", sa.Text(), nullable=False),
        sa.Column("safer", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["patient_id"], ["patient.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("safety_plan") as batch:
        batch.create_index("ix_safety_plan_patient_id", ["patient_id"], unique=True)


def downgrade() -> None:
    op.drop_table("safety_plan")
    with op.batch_alter_table("share_link") as batch:
        batch.drop_column("include_safety_plan")
    with op.batch_alter_table("patient") as batch:
        batch.drop_column("crisis_country")
    with op.batch_alter_table("checkin") as batch:
        batch.alter_column(
            "suicidal_thoughts",
            existing_type=sqlmodel.sql.sqltypes.AutoString(length=10),
            nullable=False,
        )
