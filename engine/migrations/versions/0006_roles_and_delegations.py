"""Roles as data, acting officials (Plh/Plt), tasks offered to named users, audit on behalf.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

import engine.models

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("bidang", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", engine.models.TZDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "delegations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("delegator", sa.String(length=64), nullable=False),
        sa.Column("delegate", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.Column("created_at", engine.models.TZDateTime(), nullable=False),
        sa.Column("ended_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_delegations_delegator", "delegations", ["delegator"])
    op.create_index("ix_delegations_delegate", "delegations", ["delegate"])
    with op.batch_alter_table("human_tasks") as batch_op:
        batch_op.add_column(
            sa.Column("candidate_users", sa.JSON(), nullable=False, server_default="[]")
        )
        batch_op.add_column(
            sa.Column("named", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("audit_log") as batch_op:
        batch_op.add_column(sa.Column("on_behalf_of", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("acting_kind", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch_op:
        batch_op.drop_column("acting_kind")
        batch_op.drop_column("on_behalf_of")
    with op.batch_alter_table("human_tasks") as batch_op:
        batch_op.drop_column("named")
        batch_op.drop_column("candidate_users")
    op.drop_index("ix_delegations_delegate", table_name="delegations")
    op.drop_index("ix_delegations_delegator", table_name="delegations")
    op.drop_table("delegations")
    op.drop_table("roles")
