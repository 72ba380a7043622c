"""Letter templates (Word .docx) deployed with a process version.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

import engine.models

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "process_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("definition_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("placeholders", sa.JSON(), nullable=False),
        sa.Column("created_at", engine.models.TZDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["definition_id"], ["process_definitions.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("definition_id", "filename"),
    )


def downgrade() -> None:
    op.drop_table("process_templates")
