"""Ratings and reviews in the public statistics, small counts hidden in every format (§11, §5)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from intake.review.models import Rating, Review, ReviewStatus, Satisfaction
from portal.db import utcnow
from portal.jurisdictions.models import get_region_by_code
from portal.timeutil import today_in_china
from publish.stats.compute import compute
from publish.stats.metrics import METRIC_NAMES

REVIEW_METRICS = (
    "rated_satisfied",
    "rated_mostly",
    "rated_not_satisfied",
    "reviews_requested",
    "reviews_upheld",
    "reviews_sent_back",
)


@pytest.fixture
def opinions(db: Session, make_report: Any) -> None:
    """Ratings and reviews written as stored: the statistics read only these rows.

    640106: six rated satisfied; five reviews, all upheld. 640104: two rated not satisfied;
    two reviews, one sent back, one awaiting its answer.
    """
    now = utcnow()
    city = get_region_by_code(db, "640100")

    def add(region: str, satisfaction: Satisfaction | None, review: ReviewStatus | None) -> None:
        report, _ = make_report(region_code=region)
        if satisfaction is not None:
            db.add(Rating(report_id=report.id, satisfaction=satisfaction, rated_at=now))
        if review is not None:
            answered = review is not ReviewStatus.REQUESTED
            db.add(
                Review(
                    report_id=report.id,
                    reviewer_region=city,
                    status=review,
                    requested_at=now,
                    due_on=today_in_china() + timedelta(days=30),
                    reason_enc=b"x",
                    answered_at=now if answered else None,
                )
            )

    for n in range(6):
        add("640106", Satisfaction.SATISFIED, ReviewStatus.UPHELD if n < 5 else None)
    add("640104", Satisfaction.NOT_SATISFIED, ReviewStatus.SENT_BACK)
    add("640104", Satisfaction.NOT_SATISFIED, ReviewStatus.REQUESTED)
    db.commit()


def _by_code(db: Session) -> dict[str, Any]:
    return {s.region.code: s for s in compute(db, today_in_china().year, None, 5).values()}


def test_the_list_publishes_ratings_and_reviews() -> None:
    assert set(REVIEW_METRICS) <= set(METRIC_NAMES)


def test_ratings_are_counted_by_answer_and_rolled_up(db: Session, opinions: None) -> None:
    stats = _by_code(db)
    assert stats["640106"].shown("rated_satisfied") == 6
    assert stats["640000"].shown("rated_satisfied") == 6
    assert stats["640000"].values["rated_not_satisfied"] == 2


def test_reviews_asked_upheld_and_sent_back_are_counted(db: Session, opinions: None) -> None:
    stats = _by_code(db)
    assert stats["640100"].shown("reviews_requested") == 7
    assert stats["640106"].shown("reviews_upheld") == 5
    assert stats["640104"].values["reviews_sent_back"] == 1


def test_a_small_count_of_ratings_is_hidden(db: Session, opinions: None) -> None:
    stats = _by_code(db)
    assert stats["640104"].shown("rated_not_satisfied") is None
    assert stats["640100"].shown("rated_not_satisfied") is None


def test_a_small_count_of_reviews_is_hidden(db: Session, opinions: None) -> None:
    stats = _by_code(db)
    assert stats["640104"].shown("reviews_requested") is None
    assert stats["640104"].shown("reviews_sent_back") is None


def test_hidden_ratings_are_marked_on_the_page(client: Any, opinions: None) -> None:
    page = client.get("/stats?region=640100").get_data(as_text=True)
    row = page.split('data-region="640104"')[1].split("</tr>")[0]
    cell = row.split('data-metric="rated_not_satisfied"')[1].split("</td>")[0]
    assert 'data-suppressed="true"' in cell


def test_hidden_ratings_are_marked_in_the_csv(client: Any, opinions: None) -> None:
    body = client.get("/stats.csv?region=640100").data.decode("utf-8-sig")
    rows = {r["region_code"]: r for r in csv.DictReader(io.StringIO(body))}
    assert rows["640104"]["rated_not_satisfied"] == "suppressed"
    assert rows["640106"]["rated_satisfied"] == "6"


def test_hidden_reviews_are_null_in_the_json(client: Any, opinions: None) -> None:
    rows = {r["region_code"]: r for r in client.get("/stats.json?region=640100").get_json()["rows"]}
    assert rows["640104"]["reviews_requested"] is None
    assert "reviews_requested" in rows["640104"]["suppressed"]
    assert rows["640106"]["reviews_upheld"] == 5


def test_hidden_reviews_are_null_in_the_api(client: Any, opinions: None) -> None:
    body = client.get("/api/v1/stats?region=640100").get_json()
    rows = {r["region_code"]: r for r in body["rows"]}
    assert rows["640104"]["reviews_sent_back"] is None
    assert rows["640100"]["reviews_requested"] == 7
