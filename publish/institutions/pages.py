"""Public pages of the directory, assembled as frozen records holding only what each page shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from intake.catalog import MEASURES, label_of
from intake.penalties.articles import ARTICLES
from intake.penalties.models import Penalty
from portal.institutions.catalog import KIND_LABELS, LEVEL_LABELS, OWNERSHIP_LABELS, STATUS_LABELS
from portal.institutions.models import AgreementStatus
from portal.institutions.search import get_institution
from portal.web import page_language
from publish.cases.queries import CaseFilters, list_published
from publish.institutions.queries import (
    DirectoryFilters,
    list_directory,
    listed_penalties,
)


@dataclass(frozen=True)
class InstitutionLine:
    """An institution as the directory lists it."""

    code: str
    name: str
    kind: str
    region_label: str
    agreement: str


@dataclass(frozen=True)
class DirectoryView:
    """One page of the directory."""

    institutions: tuple[InstitutionLine, ...]
    total: int
    page: int
    pages: int


def directory_view(
    session: Session, filters: DirectoryFilters, today: date, *, page: int, per_page: int
) -> DirectoryView:
    """Return one page of the public directory."""
    rows, total = list_directory(session, filters, page=page, per_page=per_page)
    language = page_language()
    lines = tuple(
        InstitutionLine(
            code=i.code,
            name=i.name,
            kind=i.kind.value,
            region_label=i.region.label(language),
            agreement=i.status_on(today).value,
        )
        for i in rows
    )
    return DirectoryView(lines, total, page, max(1, -(-total // per_page)))


@dataclass(frozen=True)
class PenaltyLine:
    """A penalty on the public list, as an institution's page shows it."""

    id: int
    article: int
    article_covers: str
    measures: tuple[str, ...]
    returned_amount: Decimal | None
    fine_amount: Decimal | None
    suspension_from: date | None
    suspension_to: date | None
    terminates_agreement: bool
    deciding_office: str
    decision_number: str
    decided_on: date


@dataclass(frozen=True)
class CaseLink:
    """A published typical case about the institution."""

    id: int
    title: str
    published_on: date | None


@dataclass(frozen=True)
class InstitutionView:
    """An institution's public page: the directory's record and what was published about it."""

    code: str
    name: str
    former_names: tuple[tuple[str, date], ...]
    kind: str
    level: str | None
    ownership: str | None
    region_label: str
    address: str
    agreement: str
    agreement_from: date | None
    agreement_to: date | None
    cases: tuple[CaseLink, ...]
    penalties: tuple[PenaltyLine, ...]


def institution_view(session: Session, code: str, today: date) -> InstitutionView | None:
    """Return the public page of the institution with national code `code`, or None."""
    institution = get_institution(session, code)
    if institution is None:
        return None
    cases, _ = list_published(
        session, CaseFilters(institution_id=institution.id), per_page=100, with_total=False
    )
    status = institution.status_on(today)
    return InstitutionView(
        code=institution.code,
        name=institution.name,
        former_names=tuple((n.name, n.until) for n in institution.former_names),
        kind=institution.kind.value,
        level=institution.level.value if institution.level else None,
        ownership=institution.ownership.value if institution.ownership else None,
        region_label=institution.region.label(page_language()),
        address=institution.address,
        agreement=status.value,
        agreement_from=institution.agreement_from
        if status is not AgreementStatus.IN_FORCE
        else None,
        agreement_to=institution.agreement_to if status is AgreementStatus.SUSPENDED else None,
        cases=tuple(CaseLink(c.id, c.title, c.published_on) for c in cases),
        penalties=tuple(_penalty_line(p) for p in listed_penalties(session, institution, today)),
    )


def _penalty_line(penalty: Penalty) -> PenaltyLine:
    return PenaltyLine(
        id=penalty.id,
        article=penalty.article,
        article_covers=str(ARTICLES[penalty.article].covers),
        measures=tuple(
            str(label_of(MEASURES, code)) for code in penalty.measures.split(",") if code
        ),
        returned_amount=penalty.returned_amount,
        fine_amount=penalty.fine_amount,
        suspension_from=penalty.suspension_from,
        suspension_to=penalty.suspension_to,
        terminates_agreement=penalty.terminates_agreement,
        deciding_office=penalty.deciding_office,
        decision_number=penalty.decision_number,
        decided_on=penalty.decided_on,
    )


def institution_labels() -> dict[str, object]:
    """Return the labels an institution's codes are shown with."""
    # The directory's own labels (portal/institutions/catalog.py), keyed by the values.
    return {
        "kind_labels": KIND_LABELS,
        "level_labels": LEVEL_LABELS,
        "ownership_labels": OWNERSHIP_LABELS,
        "agreement_labels": STATUS_LABELS,
    }
