"""The OpenAPI document fuzzed with schemathesis: every answer matches the document (docs/security.md)."""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings


def test_every_api_operation_answers_as_documented(app: Any, db: Any) -> None:
    from publish.demo import seed_demo_disclosures

    seed_demo_disclosures(db)
    db.commit()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    checked = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        def check(case: Any) -> None:
            case.call_and_validate()

        check()
        checked.append(operation.label)
    assert len(checked) == 7
