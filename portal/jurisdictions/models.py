"""The jurisdiction tree: provinces, cities and counties (docs/domain.md §1)."""

from __future__ import annotations

import enum

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from portal.db import Base, enum_column


class RegionLevel(enum.StrEnum):
    """Levels of the jurisdiction tree, docs/domain.md §1 (省/市/县)."""

    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"


class Region(Base):
    """A node of the jurisdiction tree, identified by its administrative division code."""

    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name_zh: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(120))
    level: Mapped[RegionLevel] = mapped_column(enum_column(RegionLevel, length=16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)

    parent: Mapped[Region | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Region]] = relationship(back_populates="parent", order_by="Region.code")

    def ancestors_and_self(self) -> list[Region]:
        """Return this node and every node above it, nearest first."""
        chain: list[Region] = []
        node: Region | None = self
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain

    def name_in(self, locale: str) -> str:
        """Return this node's own name in `locale` ("en…" for English, else Chinese)."""
        return self.name_en if locale.startswith("en") else self.name_zh

    def label(self, locale: str) -> str:
        """Return the name in `locale` with the names of its ancestors, e.g. 宁夏 · 银川市."""
        return " · ".join(r.name_in(locale) for r in reversed(self.ancestors_and_self()))

    def __repr__(self) -> str:
        return f"<Region {self.code} {self.level.value}>"


def list_regions(session: Session) -> list[Region]:
    """Return every region ordered by code, which keeps each subtree together."""
    return list(session.scalars(select(Region).order_by(Region.code)))


# The regions as this process last read them for a form, for drawing that form again while
# the database does not answer (portal/unavailable.py). Copies that belong to no session.
_last_known: list[Region] = []


def list_regions_for_form(session: Session) -> list[Region]:
    """Return every region (as `list_regions`), keeping a copy for `last_known_regions`."""
    regions = list_regions(session)
    columns = Region.__table__.columns.keys()
    _last_known[:] = [Region(**{c: getattr(r, c) for c in columns}) for r in regions]
    return regions


def last_known_regions() -> list[Region]:
    """Return the regions as last read by `list_regions_for_form` (none before the first read)."""
    return list(_last_known)


def get_region_by_code(session: Session, code: str) -> Region | None:
    """Return the region with division code `code`, if any."""
    return session.scalar(select(Region).where(Region.code == code))
