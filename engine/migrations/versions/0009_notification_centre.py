"""The notification centre: notifications name the task they announce; per-person reads.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

import engine.models

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("notifications") as batch_op:
        batch_op.add_column(sa.Column("task_id", sa.String(length=36), nullable=True))
    op.create_index("ix_notifications_task_id", "notifications", ["task_id"])
    op.create_table(
        "notification_reads",
        sa.Column("notification_id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("read_at", engine.models.TZDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["notification_id"], ["notifications.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("notification_id", "username"),
    )


def downgrade() -> None:
    op.drop_table("notification_reads")
    op.drop_index("ix_notifications_task_id", table_name="notifications")
    with op.batch_alter_table("notifications") as batch_op:
        batch_op.drop_column("task_id")
