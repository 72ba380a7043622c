"""Drop ix_audit_log_at: ix_audit_log_at_action (at, action, ...) serves every query by time,
and each index is one more page written by every engine action's commit.

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_audit_log_at", table_name="audit_log")


def downgrade() -> None:
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
