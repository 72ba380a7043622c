"""Indexes for the manager dashboard: audit rows by time and action, instances by start.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_audit_log_at_action", "audit_log", ["at", "action", "instance_id", "element_id"]
    )
    op.create_index("ix_process_instances_started_at", "process_instances", ["started_at"])


def downgrade() -> None:
    op.drop_index("ix_process_instances_started_at", table_name="process_instances")
    op.drop_index("ix_audit_log_at_action", table_name="audit_log")
