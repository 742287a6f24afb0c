"""patient: the name shown on shared summaries

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing accounts get no name: a summary shows none until the patient adds one.
    with op.batch_alter_table("patient") as batch:
        batch.add_column(
            sa.Column(
                "summary_name",
                sqlmodel.sql.sqltypes.AutoString(length=80),
                nullable=False,
                server_default="",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("patient") as batch:
        batch.drop_column("summary_name")
