"""patient: a random export_id, the Patient identifier an EHR matches on a second FHIR import

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 09:00:00
"""

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("patient") as batch:
        batch.add_column(
            sa.Column("export_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
    # Each existing account gets its own random value, as a new account does at sign-up: never
    # derived from the row id, which must not leave the app.
    connection = op.get_bind()
    patient = sa.table("patient", sa.column("id", sa.Integer), sa.column("export_id", sa.String))
    for (patient_id,) in connection.execute(sa.select(patient.c.id)).all():
        connection.execute(
            patient.update()
            .where(patient.c.id == patient_id)
            .values(export_id=secrets.token_hex(16))
        )
    with op.batch_alter_table("patient") as batch:
        batch.alter_column(
            "export_id", existing_type=sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False
        )
        batch.create_index(batch.f("ix_patient_export_id"), ["export_id"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("patient") as batch:
        batch.drop_index(batch.f("ix_patient_export_id"))
        batch.drop_column("export_id")
