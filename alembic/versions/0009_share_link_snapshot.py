"""share_link: the SMART Health Link file, a JWE of the FHIR Bundle made when the link was made

Only ciphertext: its key is in the link's #shlink:/ fragment and nowhere on the server.
Links made before this have none (their address never carried a key).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("share_link") as batch:
        batch.add_column(sa.Column("shl_file", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("share_link") as batch:
        batch.drop_column("shl_file")
