"""The open-data API answers as its OpenAPI document says, for every documented operation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import jsonschema
import pytest
from sqlalchemy.orm import Session

from portal.jurisdictions.models import get_region_by_code
from publish.cases.operations import CaseFields, draft_case, publish_case, withdraw_case
from publish.demo import seed_demo_disclosures
from publish.penalties.operations import repair_credit
from tests.penalty_factories import make_institution, published, recorded


@pytest.fixture
def content(db: Session, make_staff: Any, make_report: Any) -> dict[str, int]:
    seed_demo_disclosures(db)
    drafter, publisher = make_staff("publisher"), make_staff("approver")
    ids = {}
    for name, kind, subject in (
        ("kept", "individual", "张小明"),
        ("gone", "institution", "某医院"),
    ):
        case = draft_case(
            db,
            CaseFields(
                title=f"{name}案",
                region=get_region_by_code(db, "640104"),
                subject_kind=kind,
                subject_name=subject,
                discovery="report_clue",
                violation_codes=["lending_card"],
                amount=Decimal("1234.50"),
                body="经查属实，已依法处理。",
            ),
            actor=drafter,
        )
        publish_case(db, case, actor=publisher)
        ids[name] = case.id
    withdraw_case(db, db.get(type(case), ids["gone"]), reason="撤回", actor=publisher)
    for _ in range(6):
        make_report(region_code="640104")
    db.commit()
    from publish.disclosures.models import Disclosure

    ids["disclosure"] = db.query(Disclosure).first().id
    approver = make_staff("approver")
    make_institution(db)
    listed = published(db, approver, publisher)
    repaired = published(db, approver, publisher, decision_number="银医保罚〔2026〕2号")
    repair_credit(db, repaired, reason="信用修复", actor=publisher)
    waiting = recorded(db, approver, decision_number="银医保罚〔2026〕3号")
    db.commit()
    ids.update(listed=listed.id, repaired=repaired.id, waiting=waiting.id)
    return ids


@pytest.fixture
def spec(client: Any) -> dict[str, Any]:
    return client.get("/api/v1/openapi.json").get_json()


def _validate(spec: dict[str, Any], path: str, status: int, body: Any) -> None:
    response = spec["paths"][path]["get"]["responses"][str(status)]
    schema = response["content"]["application/json"]["schema"]
    resolver_schema = {"$ref": schema["$ref"], "components": spec["components"]}
    jsonschema.validate(body, resolver_schema)


CALLS = [
    ("/cases", "/api/v1/cases", 200),
    (
        "/cases",
        "/api/v1/cases?region=640000&violation=lending_card&subject_kind=individual&q=kept&per_page=5",
        200,
    ),
    ("/cases", "/api/v1/cases?violation=nope", 400),
    ("/cases", "/api/v1/cases?per_page=1000", 400),
    ("/cases/{id}", "/api/v1/cases/{kept}", 200),
    ("/cases/{id}", "/api/v1/cases/{gone}", 410),
    ("/cases/{id}", "/api/v1/cases/999999", 404),
    ("/disclosures", "/api/v1/disclosures", 200),
    ("/disclosures", "/api/v1/disclosures?region=100000&year=2022&fund=resident", 200),
    ("/disclosures", "/api/v1/disclosures?year=nineteen", 400),
    ("/disclosures/{id}", "/api/v1/disclosures/{disclosure}", 200),
    ("/disclosures/{id}", "/api/v1/disclosures/999999", 404),
    ("/stats", "/api/v1/stats", 200),
    ("/stats", "/api/v1/stats?region=640100&quarter=4", 200),
    ("/stats", "/api/v1/stats?quarter=7", 400),
    ("/penalties", "/api/v1/penalties", 200),
    (
        "/penalties",
        "/api/v1/penalties?region=640000&article=40&measure=fine&kind=hospital&year=2026&per_page=5",
        200,
    ),
    ("/penalties", "/api/v1/penalties?kind=robot", 400),
    ("/penalties", "/api/v1/penalties?page=0", 400),
    ("/penalties/{id}", "/api/v1/penalties/{listed}", 200),
    ("/penalties/{id}", "/api/v1/penalties/{repaired}", 410),
    ("/penalties/{id}", "/api/v1/penalties/{waiting}", 404),
    ("/penalties/{id}", "/api/v1/penalties/999999", 404),
]


def test_every_documented_operation_is_called_here(spec: dict[str, Any]) -> None:
    assert set(spec["paths"]) == {path for path, _, _ in CALLS}


@pytest.mark.parametrize(("path", "url", "status"), CALLS, ids=[c[1] for c in CALLS])
def test_the_api_answers_as_documented(
    client: Any, spec: dict[str, Any], content: dict[str, int], path: str, url: str, status: int
) -> None:
    response = client.get(url.format(**content))
    assert response.status_code == status
    assert str(status) in spec["paths"][path]["get"]["responses"]
    _validate(spec, path, status, response.get_json())


def test_the_api_never_lists_a_withdrawn_or_draft_case(
    client: Any, content: dict[str, int]
) -> None:
    titles = [c["title"] for c in client.get("/api/v1/cases").get_json()["items"]]
    assert titles == ["kept案"]


def test_an_individual_is_masked_in_the_api(client: Any, content: dict[str, int]) -> None:
    assert client.get(f"/api/v1/cases/{content['kept']}").get_json()["subject_name"] == "张某某"


def test_api_statistics_are_suppressed_like_the_page(client: Any, content: dict[str, int]) -> None:
    rows = {
        r["region_code"]: r for r in client.get("/api/v1/stats?region=640100").get_json()["rows"]
    }
    assert rows["640104"]["received"] == 6 and rows["640105"]["received"] == 0


def test_the_document_is_openapi_3(spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.") and spec["servers"][0]["url"].endswith("/api/v1")


def test_other_sites_may_read_the_api(client: Any) -> None:
    response = client.get("/api/v1/cases")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin"


def test_the_api_lists_only_penalties_on_the_list_today(
    client: Any, content: dict[str, int]
) -> None:
    items = client.get("/api/v1/penalties").get_json()["items"]
    assert [item["id"] for item in items] == [content["listed"]]
    assert items[0]["url"].endswith(f"/penalties/{content['listed']}")
