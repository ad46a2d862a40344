"""The ranges of the Regulation's articles 38–41 (docs/domain.md §9), as `check_decision` holds decisions to them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask

from intake.penalties.articles import ARTICLES, check_decision
from intake.penalties.models import SubjectKind
from intake.penalties.pages import article_rows
from portal.errors import OperationError, message_for

INSTITUTION, INDIVIDUAL = SubjectKind.INSTITUTION, SubjectKind.INDIVIDUAL
START = date(2026, 3, 1)


def _check(article: int, **decision: Any) -> Any:
    values: dict[str, Any] = {
        "subject": INDIVIDUAL if article == 41 else INSTITUTION,
        "basis": None,
        "fine": None,
        "suspension_from": None,
        "suspension_to": None,
        "terminates": False,
    }
    values.update(decision)
    return check_decision(article, **values)


def _refusal(article: int, **decision: Any) -> OperationError:
    with pytest.raises(OperationError) as refused:
        _check(article, **decision)
    return refused.value


# (article, basis, lowest fine, highest fine): multiples of the basis, or fixed yuan.
FINES = [
    (38, Decimal("100000"), Decimal("100000"), Decimal("200000")),
    (39, None, Decimal("10000"), Decimal("50000")),
    (40, Decimal("300000"), Decimal("600000"), Decimal("1500000")),
    (41, Decimal("8000"), Decimal("16000"), Decimal("40000")),
]


@pytest.mark.parametrize(("article", "basis", "low", "high"), FINES)
def test_a_fine_at_either_end_of_its_range_is_accepted(
    article: int, basis: Decimal | None, low: Decimal, high: Decimal
) -> None:
    for fine in (low, high):
        assert _check(article, basis=basis, fine=fine) is ARTICLES[article]


@pytest.mark.parametrize(("article", "basis", "low", "high"), FINES)
def test_a_fine_a_fen_outside_its_range_is_refused_naming_the_range(
    app: Flask, article: int, basis: Decimal | None, low: Decimal, high: Decimal
) -> None:
    for fine in (low - Decimal("0.01"), high + Decimal("0.01")):
        error = _refusal(article, basis=basis, fine=fine)
        assert error.code == "penalty_fine_range"
        with app.test_request_context(headers={"Cookie": "lang=en"}):
            words = message_for(error)
        assert f"{low:,.2f}" in words and f"{high:,.2f}" in words


def test_the_worked_example_of_article_40_is_refused_with_its_range(app: Flask) -> None:
    # docs/domain.md §9: 300,000 yuan defrauded → fine 600,000–1,500,000; 500,000 is refused.
    error = _refusal(40, basis=Decimal("300000"), fine=Decimal("500000"))
    assert (error.code, error.params["low"], error.params["high"]) == (
        "penalty_fine_range",
        "600,000.00",
        "1,500,000.00",
    )
    with app.test_request_context():
        assert "600,000.00" in message_for(error) and "1,500,000.00" in message_for(error)


@pytest.mark.parametrize("article", [38, 40, 41])
def test_a_fine_that_is_a_multiple_needs_its_basis(article: int) -> None:
    assert _refusal(article, fine=Decimal("1000")).code == "penalty_basis"


@pytest.mark.parametrize("article", [38, 39, 40, 41])
def test_no_fine_at_all_is_within_every_article(article: int) -> None:
    assert _check(article, basis=Decimal("1000")) is ARTICLES[article]


# (article, shortest last day, longest last day) of a suspension starting on START.
SUSPENSIONS = [
    (38, date(2026, 8, 31), date(2027, 2, 28)),
    (40, date(2026, 8, 31), date(2027, 2, 28)),
    (41, date(2026, 5, 31), date(2027, 2, 28)),
]


@pytest.mark.parametrize(("article", "earliest", "latest"), SUSPENSIONS)
def test_a_suspension_of_the_shortest_or_longest_months_is_accepted(
    article: int, earliest: date, latest: date
) -> None:
    for last in (earliest, latest):
        assert _check(article, suspension_from=START, suspension_to=last) is ARTICLES[article]


@pytest.mark.parametrize(("article", "earliest", "latest"), SUSPENSIONS)
def test_a_suspension_a_day_too_short_or_too_long_is_refused_naming_the_months(
    app: Flask, article: int, earliest: date, latest: date
) -> None:
    for last in (
        date.fromordinal(earliest.toordinal() - 1),
        date.fromordinal(latest.toordinal() + 1),
    ):
        error = _refusal(article, suspension_from=START, suspension_to=last)
        assert error.code == "penalty_suspension_range"
        assert (error.params["earliest"], error.params["latest"]) == (
            earliest,
            latest,
        )
        with app.test_request_context(headers={"Cookie": "lang=en"}):
            low, high = ARTICLES[article].suspension_months or (0, 0)
            assert f"{low} to {high} months" in message_for(error)


def test_article_39_provides_for_no_suspension() -> None:
    error = _refusal(39, suspension_from=START, suspension_to=date(2026, 9, 30))
    assert error.code == "penalty_no_suspension"


@pytest.mark.parametrize(
    ("first", "last"), [(START, None), (None, date(2026, 9, 30)), (START, date(2026, 2, 1))]
)
def test_a_suspension_needs_both_days_in_order(first: date | None, last: date | None) -> None:
    assert _refusal(40, suspension_from=first, suspension_to=last).code == (
        "penalty_suspension_dates"
    )


def test_only_article_40_allows_terminating_the_agreement() -> None:
    assert _check(40, terminates=True) is ARTICLES[40]
    for article in (38, 39, 41):
        assert _refusal(article, terminates=True).code == "penalty_no_termination"


@pytest.mark.parametrize("article", [38, 39, 40])
def test_institution_articles_refuse_an_individual(article: int) -> None:
    assert _refusal(article, subject=INDIVIDUAL).code == "penalty_subject"


def test_article_41_refuses_an_institution() -> None:
    assert _refusal(41, subject=INSTITUTION).code == "penalty_subject"


def test_an_article_outside_38_to_41_is_refused() -> None:
    assert _refusal(42, subject=INSTITUTION).code == "penalty_article"


def test_the_form_shows_the_ranges_of_the_same_table(app: Flask) -> None:
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        rows = {row.number: row for row in article_rows()}
    assert sorted(rows) == sorted(ARTICLES)
    assert rows[39].fine == "10,000 to 50,000 yuan"
    assert rows[40].fine.startswith("2 to 5 times") and rows[40].may_terminate
    assert "3 to 12 months" in rows[41].suspension and rows[39].suspension == "—"
