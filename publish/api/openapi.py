"""The OpenAPI document of the open-data API."""

from __future__ import annotations

from typing import Any

from intake.catalog import VIOLATION_CODES
from publish.api.openapi_stats import stats_schema
from publish.catalog import FUND_CODES, UNIT_NAMES

NULLABLE_STRING = {"type": ["string", "null"]}


MONEY = {
    "type": ["string", "null"],
    "pattern": r"^-?\d+\.\d{2}$",
    "description": "yuan, exact to the fen",
}


def _param(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


PAGING = [
    _param(
        "page", {"type": "integer", "minimum": 1, "maximum": 100000, "default": 1}, "page number"
    ),
    _param(
        "per_page",
        {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
        "items per page",
    ),
]


def _ok(schema_ref: str) -> dict[str, Any]:
    return {"description": "OK", "content": {"application/json": {"schema": {"$ref": schema_ref}}}}


ERROR = {
    "description": "Error",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}


def document(server: str, region_codes: list[str], national_code: str) -> dict[str, Any]:
    """Return the OpenAPI document with `server` as the base URL and today's region codes."""
    region = _param(
        "region",
        {"type": "string", "enum": region_codes},
        "division code; a region includes everything below it",
    )
    case_props = {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "batch": {"type": "string"},
        "region_code": {"type": "string"},
        "subject_kind": {"type": "string", "enum": ["institution", "pharmacy", "individual"]},
        "subject_name": {
            "type": "string",
            "description": "institutions in full; individuals as surname + 某/某某",
        },
        "discovery": {"type": "string"},
        "violation_types": {
            "type": "array",
            "items": {"type": "string", "enum": sorted(VIOLATION_CODES)},
        },
        "conduct_from": {"type": ["string", "null"], "format": "date"},
        "conduct_to": {"type": ["string", "null"], "format": "date"},
        "amount": MONEY,
        "fine_amount": MONEY,
        "legal_basis": {"type": "string"},
        "measures": {"type": "string"},
        "fully_recovered": {"type": "boolean"},
        "source_url": {"type": "string"},
        "published_on": {"type": "string", "format": "date"},
        "corrections": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["at", "note"],
                "properties": {"at": {"type": "string"}, "note": {"type": "string"}},
            },
        },
        "url": {"type": "string"},
    }
    fund_props: dict[str, Any] = {"fund": {"type": "string", "enum": sorted(FUND_CODES)}}
    for name in (
        "income_contributions",
        "income_fiscal_subsidy",
        "income_interest",
        "income_other",
        "income_total",
        "expenditure_inpatient",
        "expenditure_outpatient",
        "expenditure_other",
        "expenditure_total",
        "balance_current",
        "balance_accumulated_previous",
        "balance_accumulated",
    ):
        fund_props[name] = MONEY
    fund_props["insured_persons"] = {"type": ["integer", "null"]}
    fund_props["beneficiaries"] = {"type": ["integer", "null"]}
    disclosure_props = {
        "id": {"type": "integer"},
        "region_code": {"type": "string"},
        "region": {"type": "string"},
        "year": {"type": "integer"},
        "period": {"type": "string", "pattern": r"^(Y|Q[1-4]|M(0[1-9]|1[0-2]))$"},
        "period_name": {
            "type": "string",
            "description": "the period in words, in Chinese: 2022年全年, 2022年第1季度, 2022年3月",
        },
        "unit": {
            "type": "string",
            "enum": sorted(UNIT_NAMES.values()),
            "description": "the unit of every amount of the disclosure: 万元 (10,000 yuan) or "
            "亿元 (100,000,000 yuan); the same words as the CSV downloads and imports",
        },
        "source": {"type": "string"},
        "revision": {"type": "integer"},
        "funds": {
            "type": "array",
            "items": {"type": "object", "required": ["fund"], "properties": fund_props},
        },
        "url": {"type": "string"},
    }

    def page_of(ref: str) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["items", "page", "per_page", "total"],
            "properties": {
                "items": {"type": "array", "items": {"$ref": ref}},
                "page": {"type": "integer"},
                "per_page": {"type": "integer"},
                "total": {"type": "integer"},
            },
        }

    return {
        "openapi": "3.1.0",
        "info": {
            "title": "医保基金监管公开数据 · Medical-insurance fund open data",
            "version": "1.0.0",
            "description": "Read-only: published typical cases, fund disclosures in force, and "
            "statistics with small counts suppressed. Records are published in Chinese. Error "
            "details come in one language per answer: English when the request's "
            "Accept-Language prefers English to Chinese, otherwise Chinese (the default); the "
            "answer's Content-Language says which. Money is in yuan (元) as exact decimal "
            "strings, except a disclosure's figures, which are in its `unit` (万元 or 亿元).",
        },
        "servers": [{"url": server}],
        "paths": {
            "/cases": {
                "get": {
                    "operationId": "listCases",
                    "summary": "List published typical cases",
                    "description": "Typical cases (典型案例) as published on /cases, newest first, one page at a time. Filters combine; a region includes everything below it. Individuals are named only by surname + 某/某某.",
                    "parameters": [
                        _param(
                            "q",
                            {"type": "string", "maxLength": 100},
                            "words searched in titles and text",
                        ),
                        region,
                        _param(
                            "violation",
                            {"type": "string", "enum": sorted(VIOLATION_CODES)},
                            "violation type",
                        ),
                        _param(
                            "subject_kind",
                            {"type": "string", "enum": ["institution", "pharmacy", "individual"]},
                            "subject kind",
                        ),
                        _param(
                            "year",
                            {"type": "integer", "minimum": 1990, "maximum": 2100},
                            "year of publication",
                        ),
                        *PAGING,
                    ],
                    "responses": {"200": _ok("#/components/schemas/CasePage"), "400": ERROR},
                }
            },
            "/cases/{id}": {
                "get": {
                    "operationId": "getCase",
                    "summary": "Get one published case",
                    "description": "One typical case with its full text and its corrections. A withdrawn case answers 410 with the reason it was withdrawn; an unknown or unpublished one answers 404.",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer", "minimum": 1, "maximum": 2147483647},
                        }
                    ],
                    "responses": {
                        "200": _ok("#/components/schemas/Case"),
                        "404": ERROR,
                        "410": ERROR,
                    },
                }
            },
            "/disclosures": {
                "get": {
                    "operationId": "listDisclosures",
                    "summary": "List fund disclosures in force",
                    "description": "Fund income and expenditure disclosures (基金收支信息披露), each as its revision in force, newest period first. Amounts are in the disclosure's unit (万元 or 亿元).",
                    "parameters": [
                        _param(
                            "region",
                            {"type": "string", "enum": [national_code, *region_codes]},
                            "division code; 100000 for national figures",
                        ),
                        _param(
                            "year", {"type": "integer", "minimum": 1990, "maximum": 2100}, "year"
                        ),
                        _param("fund", {"type": "string", "enum": sorted(FUND_CODES)}, "fund"),
                        *PAGING,
                    ],
                    "responses": {"200": _ok("#/components/schemas/DisclosurePage"), "400": ERROR},
                }
            },
            "/disclosures/{id}": {
                "get": {
                    "operationId": "getDisclosure",
                    "summary": "Get one fund disclosure",
                    "description": "One disclosure as its revision in force, with the number, time and note of every revision.",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer", "minimum": 1, "maximum": 2147483647},
                        }
                    ],
                    "responses": {"200": _ok("#/components/schemas/Disclosure"), "404": ERROR},
                }
            },
            "/stats": {
                "get": {
                    "operationId": "getStats",
                    "summary": "Get the statistics of report handling",
                    "description": "How reports are handled, per region (the region asked for and its children, or every province) for a year or a quarter, with the counts by kind of reported party. Small counts are hidden: their value is null and their name is listed in the row's `suppressed`. The same document as /stats.json.",
                    "parameters": [
                        _param(
                            "year",
                            {"type": "integer", "minimum": 2000, "maximum": 2100},
                            "year (default: this year)",
                        ),
                        _param(
                            "quarter",
                            {"type": "string", "enum": ["1", "2", "3", "4"]},
                            "quarter; omit for the whole year",
                        ),
                        region,
                    ],
                    "responses": {"200": _ok("#/components/schemas/Stats"), "400": ERROR},
                }
            },
        },
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "string",
                            "description": "a fixed code: invalid_parameters, not_found, "
                            "withdrawn or no_longer_listed",
                        },
                        "details": {
                            "type": "object",
                            "description": "for invalid_parameters: each parameter's problems, "
                            "in the language chosen by Accept-Language (Chinese by default)",
                            "additionalProperties": {"type": "array", "items": {"type": "string"}},
                        },
                        "reason": {
                            "type": "string",
                            "description": "why a case was withdrawn, as published (Chinese)",
                        },
                    },
                },
                "Case": {
                    "type": "object",
                    "required": [
                        "id",
                        "title",
                        "region_code",
                        "subject_kind",
                        "subject_name",
                        "violation_types",
                        "published_on",
                    ],
                    "properties": case_props,
                },
                "CasePage": page_of("#/components/schemas/Case"),
                "Disclosure": {
                    "type": "object",
                    "required": ["id", "region_code", "year", "period", "unit", "funds"],
                    "properties": disclosure_props,
                },
                "DisclosurePage": page_of("#/components/schemas/Disclosure"),
                "Stats": stats_schema(),
            }
        },
    }
