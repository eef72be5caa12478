"""Incident lifecycle: revisions (the history of fields and areas), auto_resolve, published_at.

Every incident already stored gets its current state as its first revision, so that a stale
editor's "what changed since" and the area history have a starting point.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

STATUSES = ("draft", "scheduled", "active", "resolved")
TEXTS = ("title", "summary", "advice", "cause")
TIMES = ("starts_at", "expected_end", "resolved_at")


def _geometry() -> sa.types.TypeEngine[bytes]:
    postgis = Geometry("MULTIPOLYGON", srid=4326, spatial_index=False)
    return sa.LargeBinary().with_variant(postgis, "postgresql")


def upgrade() -> None:
    op.add_column(
        "incident",
        sa.Column("auto_resolve", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.add_column("incident", sa.Column("published_at", sa.DateTime(timezone=True)))
    op.execute("UPDATE incident SET published_at = created_at WHERE status <> 'draft'")
    op.create_table(
        "incident_revision",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "incident_id",
            sa.Integer,
            sa.ForeignKey(
                "incident.id",
                ondelete="CASCADE",
                name="fk_incident_revision_incident_id_incident",
            ),
            nullable=False,
        ),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                *STATUSES,
                name="incident_revision_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("snapshot", sa.JSON, nullable=False),
        sa.Column("area", _geometry(), nullable=True),
        sa.Column("actor", sa.String(300), nullable=False),
        sa.Column(
            "actor_user_id",
            sa.Integer,
            sa.ForeignKey(
                "user_account.id",
                ondelete="SET NULL",
                name="fk_incident_revision_actor_user_id_user_account",
            ),
            nullable=True,
        ),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_incident_revision"),
        sa.UniqueConstraint("incident_id", "version", name="uq_incident_revision_version"),
        sqlite_autoincrement=True,
    )
    _first_revisions()


def _utc(value: datetime | None) -> str | None:
    if value is None:
        return None
    aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return aware.isoformat()


def _first_revisions() -> None:
    """Each existing incident's current state becomes its first revision (actor 'migration')."""
    incident = sa.table(
        "incident",
        *(sa.column(name) for name in ("id", "version", "status", "kind", "area")),
        *(sa.column(name, sa.JSON) for name in TEXTS),
        *(sa.column(name, sa.DateTime(timezone=True)) for name in (*TIMES, "updated_at")),
    )
    revisions = sa.table(
        "incident_revision",
        *(sa.column(name) for name in ("incident_id", "version", "status", "area", "actor")),
        sa.column("snapshot", sa.JSON),
        sa.column("action"),
        sa.column("at", sa.DateTime(timezone=True)),
    )
    bind = op.get_bind()
    fields = [column for column in incident.c if column.name != "area"]
    for row in bind.execute(sa.select(*fields).order_by(incident.c.id)).mappings():
        snapshot: dict[str, Any] = {"kind": row["kind"], "auto_resolve": False}
        snapshot.update({name: dict(row[name] or {}) for name in TEXTS})
        snapshot.update({name: _utc(row[name]) for name in TIMES})
        copy = sa.select(
            incident.c.id,
            incident.c.version,
            incident.c.status,
            sa.literal(snapshot, sa.JSON),
            incident.c.area,  # copied in the database: no geometry passes through Python
            sa.literal("migration"),
            sa.literal("migrate"),
            incident.c.updated_at,
        ).where(incident.c.id == row["id"])
        bind.execute(
            sa.insert(revisions).from_select(
                ["incident_id", "version", "status", "snapshot", "area", "actor", "action", "at"],
                copy,
            )
        )


def downgrade() -> None:
    op.drop_table("incident_revision")
    op.drop_column("incident", "published_at")
    op.drop_column("incident", "auto_resolve")
