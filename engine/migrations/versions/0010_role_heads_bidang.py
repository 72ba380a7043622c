"""Roles that head their bidang (a Kepala Bidang reassigns the bidang's open tasks).

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("roles") as batch:
        batch.add_column(
            sa.Column("heads_bidang", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    # the Kabid PIAK reassigned tasks before the flag existed (a fixed list): keep that
    roles = sa.table("roles", sa.column("code", sa.String), sa.column("heads_bidang", sa.Boolean))
    op.execute(roles.update().where(roles.c.code == "kabid_piak").values(heads_bidang=True))


def downgrade() -> None:
    with op.batch_alter_table("roles") as batch:
        batch.drop_column("heads_bidang")
