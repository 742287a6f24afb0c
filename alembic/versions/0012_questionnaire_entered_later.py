"""questionnaire_response: entered_later, for a questionnaire taken on an earlier day

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 09:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("questionnaire_response") as batch:
        batch.add_column(
            sa.Column("entered_later", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("questionnaire_response") as batch:
        batch.drop_column("entered_later")
