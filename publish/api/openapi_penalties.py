"""The penalty list's part of the OpenAPI document: its two operations and the Penalty schema."""

from __future__ import annotations

from typing import Any

from intake.catalog import MEASURES
from intake.penalties.articles import ARTICLE_NUMBERS
from publish.api.openapi import ERROR, MONEY, NULLABLE_STRING, PAGING, _ok, _param
from publish.penalties.queries import PARTY_KIND_CODES

DATE_OR_NULL = {"type": ["string", "null"], "format": "date"}


def _penalty_schema() -> dict[str, Any]:
    properties: dict[str, Any] = {
        "id": {"type": "integer"},
        "region_code": {"type": "string"},
        "region": {"type": "string"},
        "party_kind": {"type": "string", "enum": list(PARTY_KIND_CODES)},
        "subject_name": {
            "type": "string",
            "description": "institutions in full; individuals as surname + 某/某某",
        },
        "institution_code": NULLABLE_STRING,
        "article": {
            "type": "integer",
            "enum": list(ARTICLE_NUMBERS),
            "description": "article of the Regulation (State Council Order No. 735)",
        },
        "measures": {
            "type": "array",
            "items": {"type": "string", "enum": [m.code for m in MEASURES]},
        },
        "basis_amount": {**MONEY, "description": "the loss or the amount defrauded, yuan"},
        "returned_amount": MONEY,
        "fine_amount": MONEY,
        "suspension_from": DATE_OR_NULL,
        "suspension_to": DATE_OR_NULL,
        "terminates_agreement": {"type": "boolean"},
        "serious_dishonesty": {"type": "boolean"},
        "deciding_office": {"type": "string"},
        "decision_number": {"type": "string"},
        "decided_on": {"type": "string", "format": "date"},
        "published_on": DATE_OR_NULL,
        "public_until": DATE_OR_NULL,
        "url": {"type": "string"},
        "institution_url": NULLABLE_STRING,
    }
    return {
        "type": "object",
        "required": [
            "id",
            "region_code",
            "party_kind",
            "subject_name",
            "article",
            "measures",
            "deciding_office",
            "decision_number",
            "decided_on",
        ],
        "properties": properties,
    }


def with_penalties(document: dict[str, Any], region_codes: list[str]) -> dict[str, Any]:
    """Return the OpenAPI `document` with the penalty list's operations and schemas added."""
    parameters = [
        _param(
            "region",
            {"type": "string", "enum": region_codes},
            "division code; a region includes everything below it",
        ),
        _param("article", {"type": "string", "enum": [str(n) for n in ARTICLE_NUMBERS]}, "article"),
        _param("measure", {"type": "string", "enum": [m.code for m in MEASURES]}, "measure"),
        _param(
            "kind",
            {"type": "string", "enum": list(PARTY_KIND_CODES)},
            "kind of party: a kind of institution of the directory, or individual",
        ),
        _param(
            "year",
            {"type": "integer", "minimum": 1990, "maximum": 2100},
            "year of the decision",
        ),
        *PAGING,
    ]
    paths = {
        "/penalties": {
            "get": {
                "operationId": "listPenalties",
                "summary": "List penalty decisions on the public list",
                "description": "Penalty decisions on the public list today (处理结果公示), newest "
                "first. A decision leaves the list when its publicity period ends or its credit is "
                "repaired; individuals are named only by surname + 某/某某.",
                "parameters": parameters,
                "responses": {"200": _ok("#/components/schemas/PenaltyPage"), "400": ERROR},
            }
        },
        "/penalties/{id}": {
            "get": {
                "operationId": "getPenalty",
                "summary": "Get one penalty decision on the list",
                "description": "One decision while it is on the public list. One that has left "
                "the list answers 410 with nothing of it; one never published answers 404.",
                "parameters": [
                    {
                        "name": "id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 1, "maximum": 2147483647},
                    }
                ],
                "responses": {
                    "200": _ok("#/components/schemas/Penalty"),
                    "404": ERROR,
                    "410": ERROR,
                },
            }
        },
    }
    schemas = document["components"]["schemas"]
    info = document["info"]
    return {
        **document,
        "info": {
            **info,
            "description": info["description"]
            + " Penalty decisions while they are on the public list.",
        },
        "paths": {**document["paths"], **paths},
        "components": {
            **document["components"],
            "schemas": {
                **schemas,
                "Penalty": _penalty_schema(),
                "PenaltyPage": {
                    **schemas["CasePage"],
                    "properties": {
                        **schemas["CasePage"]["properties"],
                        "items": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Penalty"},
                        },
                    },
                },
            },
        },
    }
