"""Administrator-changeable rules (the *configurable* values of docs/domain.md), stored as JSON rows."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.db import Base, UTCDateTime, utcnow


class Setting(Base):
    """One named setting; absent means the default shipped in code."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value_json: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<Setting {self.key}>"


def get_setting(session: Session, key: str) -> Any | None:
    """Return the stored value of `key`, or None when the default applies."""
    row = session.get(Setting, key)
    return None if row is None else json.loads(row.value_json)


def put_setting(session: Session, key: str, value: Any) -> None:
    """Store `value` under `key` (the caller audits the change)."""
    row = session.get(Setting, key)
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if row is None:
        session.add(Setting(key=key, value_json=text))
    else:
        row.value_json = text
    session.flush()
