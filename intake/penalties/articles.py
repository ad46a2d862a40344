"""The ranges of the Regulation's penalty articles (docs/domain.md §9): one table the checks and the pages share.

《医疗保障基金使用监督管理条例》 (State Council Order No. 735, in force 2021-05-01):
a fine is either a multiple of the loss or of the amount defrauded, or a fixed range in
yuan; a suspension lasts a range of months; only some articles allow terminating the
service agreement. `check_decision` refuses a decision outside its article, naming the
range, so the form and any other caller get the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from intake.penalties.models import SubjectKind
from intake.rewards.lifecycle import add_months
from portal.errors import OperationError


@dataclass(frozen=True)
class Article:
    """One article: who it applies to, what it covers and the ranges a decision must keep."""

    number: int
    subject: SubjectKind
    covers: LazyString
    # The fine as a multiple of `basis_amount` (loss or amount defrauded), or fixed yuan.
    fine_multiple: tuple[Decimal, Decimal] | None = None
    fine_yuan: tuple[Decimal, Decimal] | None = None
    # What the suspension stops, and for how many months (both ends included).
    suspension: LazyString | None = None
    suspension_months: tuple[int, int] | None = None
    may_terminate: bool = False

    @property
    def needs_basis(self) -> bool:
        """Whether a fine is a multiple of an amount, which must then be given."""
        return self.fine_multiple is not None

    def fine_range(self, basis: Decimal | None) -> tuple[Decimal, Decimal] | None:
        """Return the lowest and highest fine in yuan, or None when it needs an unknown basis."""
        if self.fine_yuan is not None:
            return self.fine_yuan
        if self.fine_multiple is None or basis is None:
            return None
        low, high = self.fine_multiple
        return (basis * low).quantize(Decimal("0.01")), (basis * high).quantize(Decimal("0.01"))


ARTICLES: dict[int, Article] = {
    38: Article(
        38,
        SubjectKind.INSTITUTION,
        _l(
            "Institution: improper use of the fund causing a loss (split or bed-blocking admissions, excessive treatment, repeat charges, substituted items…)"
        ),
        fine_multiple=(Decimal(1), Decimal(2)),
        suspension=_l("the responsible department's fund-covered services"),
        suspension_months=(6, 12),
    ),
    39: Article(
        39,
        SubjectKind.INSTITUTION,
        _l(
            "Institution: management duties not met and not corrected (records, reporting, internal systems)"
        ),
        fine_yuan=(Decimal(10_000), Decimal(50_000)),
    ),
    40: Article(
        40,
        SubjectKind.INSTITUTION,
        _l(
            "Institution: fraud (inducing false or impersonated treatment, forged bills or records, invented services…)"
        ),
        fine_multiple=(Decimal(2), Decimal(5)),
        suspension=_l("the fund-covered services concerned"),
        suspension_months=(6, 12),
        may_terminate=True,
    ),
    41: Article(
        41,
        SubjectKind.INDIVIDUAL,
        _l("Individual: lending or using another's card, reselling drugs, double benefits…"),
        fine_multiple=(Decimal(2), Decimal(5)),
        suspension=_l("networked settlement of medical costs"),
        suspension_months=(3, 12),
    ),
}

ARTICLE_NUMBERS: tuple[int, ...] = tuple(ARTICLES)


def suspension_bounds(start: date, months: tuple[int, int]) -> tuple[date, date]:
    """Return the earliest and latest last day of a suspension of `months` starting on `start`."""
    shortest, longest = months
    return (
        add_months(start, shortest) - timedelta(days=1),
        add_months(start, longest) - timedelta(days=1),
    )


def check_decision(
    article_number: int,
    *,
    subject: SubjectKind,
    basis: Decimal | None,
    fine: Decimal | None,
    suspension_from: date | None,
    suspension_to: date | None,
    terminates: bool,
) -> Article:
    """Return the article when the decision stays within it; refuse naming the range otherwise."""
    article = ARTICLES.get(article_number)
    if article is None:
        raise OperationError("penalty_article")
    if subject is not article.subject:
        raise OperationError("penalty_subject", article=article.number)
    if fine is not None and fine > 0:
        if article.needs_basis and basis is None:
            raise OperationError("penalty_basis", article=article.number)
        low, high = article.fine_range(basis) or (Decimal(0), Decimal(0))
        if not low <= fine <= high:
            raise OperationError(
                "penalty_fine_range",
                article=article.number,
                low=f"{low:,.2f}",
                high=f"{high:,.2f}",
            )
    if suspension_from is not None or suspension_to is not None:
        if article.suspension_months is None:
            raise OperationError("penalty_no_suspension", article=article.number)
        if suspension_from is None or suspension_to is None or suspension_to < suspension_from:
            raise OperationError("penalty_suspension_dates")
        earliest, latest = suspension_bounds(suspension_from, article.suspension_months)
        if not earliest <= suspension_to <= latest:
            low_months, high_months = article.suspension_months
            raise OperationError(
                "penalty_suspension_range",
                article=article.number,
                low=low_months,
                high=high_months,
                earliest=earliest,
                latest=latest,
            )
    if terminates and not article.may_terminate:
        raise OperationError("penalty_no_termination", article=article.number)
    return article
