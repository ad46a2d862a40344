"""The API's words: every operation described, one language per answer, one name per unit."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from sqlalchemy.orm import Session

from publish.demo import seed_demo_disclosures

# Words, headers and pages, not the database: checked on SQLite alone.
pytestmark = pytest.mark.one_backend

BAD_CALLS = [
    "/api/v1/cases?violation=nope&year=x",
    "/api/v1/cases?page=0",
    "/api/v1/disclosures?year=nineteen&fund=zz",
    "/api/v1/disclosures?per_page=1000",
    "/api/v1/stats?quarter=7&year=1",
    "/api/v1/penalties?kind=robot&year=3",
    "/api/v1/penalties?page=x",
]
HAN = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def _operations(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(f"{m} {p}", op) for p, item in spec["paths"].items() for m, op in item.items()]


def test_every_operation_has_a_summary_and_a_description(client: Any) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    operations = _operations(spec)
    assert len(operations) == 7
    for name, op in operations:
        assert op.get("summary", "").strip(), name
        assert len(op.get("description", "")) > len(op["summary"]), name


def test_every_parameter_is_described(client: Any) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    for name, op in _operations(spec):
        for parameter in op.get("parameters", []):
            assert parameter.get("description") or parameter["in"] == "path", (name, parameter)


def _details(client: Any, url: str, language: str | None) -> list[str]:
    headers = {"Accept-Language": language} if language else {}
    response = client.get(url, headers=headers)
    assert response.status_code == 400
    return [m for messages in response.get_json()["details"].values() for m in messages]


@pytest.mark.parametrize("url", BAD_CALLS)
def test_error_details_are_chinese_by_default(client: Any, url: str) -> None:
    for message in _details(client, url, None):
        # Parameter names are code, not words of a language.
        words = re.sub(r"\b(per_page|page)\b", "", message)
        assert HAN.search(message) and not LATIN_WORD.search(words), message


@pytest.mark.parametrize("url", BAD_CALLS)
def test_error_details_are_english_when_the_client_prefers_english(client: Any, url: str) -> None:
    for message in _details(client, url, "en-GB,en;q=0.9,zh;q=0.5"):
        assert not HAN.search(message), message


def test_an_error_answer_says_its_language(client: Any) -> None:
    response = client.get("/api/v1/cases?page=0", headers={"Accept-Language": "en"})
    assert response.headers["Content-Language"] == "en"
    assert "Accept-Language" in response.headers["Vary"]


def test_the_language_switch_of_the_pages_does_not_choose_the_apis_language(client: Any) -> None:
    client.set_cookie("lang", "en")
    assert all(HAN.search(m) for m in _details(client, "/api/v1/cases?page=0", None))


@pytest.fixture
def disclosure(db: Session) -> int:
    seed_demo_disclosures(db)
    db.commit()
    from publish.disclosures.models import Disclosure

    return db.query(Disclosure).first().id  # type: ignore[union-attr]


def test_the_api_names_a_disclosures_unit_as_the_csv_does(client: Any, disclosure: int) -> None:
    api = client.get(f"/api/v1/disclosures/{disclosure}").get_json()
    text = client.get(f"/disclosures/{disclosure}.csv").get_data(as_text=True).lstrip("\ufeff")
    units = {row["unit"] for row in csv.DictReader(io.StringIO(text))}
    assert units == {api["unit"]} == {"亿元"}


def test_the_json_download_names_the_unit_as_the_csv_does(client: Any, disclosure: int) -> None:
    assert client.get(f"/disclosures/{disclosure}.json").get_json()["unit"] == "亿元"


def test_the_openapi_document_lists_the_unit_names_the_api_gives(client: Any) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    unit = spec["components"]["schemas"]["Disclosure"]["properties"]["unit"]
    assert unit["enum"] == ["万元", "亿元"] and "10,000 yuan" in unit["description"]


def test_the_api_names_a_disclosures_period_in_words(client: Any, disclosure: int) -> None:
    assert client.get(f"/api/v1/disclosures/{disclosure}").get_json()["period_name"] == "2022年全年"
