"""calendar_feed: a random uid for its events' UIDs, and the seed its token is derived from

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 09:00:00
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("calendar_feed") as batch:
        batch.add_column(
            sa.Column(
                "token_seed",
                sqlmodel.sql.sqltypes.AutoString(length=64),
                nullable=False,
                server_default="",
            )
        )
        batch.add_column(
            sa.Column("uid", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
        )
    # Each existing feed gets its own random uid, as a new one does. Its token was stored only
    # hashed, so its seed stays empty: Settings asks for a new link before it can show one.
    connection = op.get_bind()
    feed = sa.table("calendar_feed", sa.column("id", sa.Integer), sa.column("uid", sa.String))
    for (feed_id,) in connection.execute(sa.select(feed.c.id)).all():
        connection.execute(
            feed.update().where(feed.c.id == feed_id).values(uid=secrets.token_hex(16))
        )
    with op.batch_alter_table("calendar_feed") as batch:
        batch.alter_column(
            "uid", existing_type=sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False
        )
        batch.create_unique_constraint("uq_calendar_feed_uid", ["uid"])


def downgrade() -> None:
    with op.batch_alter_table("calendar_feed") as batch:
        batch.drop_constraint("uq_calendar_feed_uid", type_="unique")
        batch.drop_column("uid")
        batch.drop_column("token_seed")
