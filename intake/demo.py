"""Demo reports for `seed-demo`, filed through the same operation as the public form."""

from __future__ import annotations

import secrets
from decimal import Decimal

from sqlalchemy.orm import Session

from intake.filing.operations import ReportDraft, submit_report
from intake.filing.receipts import access_code_hasher
from intake.identity.person import ReporterIdentity
from portal.jurisdictions.models import Region
from portal.security import data_cipher


def seed_demo_reports(session: Session, regions: dict[str, Region]) -> list[tuple[str, str]]:
    """File two demo reports and return their (case number, access code) receipts."""
    drafts = [
        ReportDraft(
            region=regions["640104"],
            party_kind="hospital",
            party_name="银川某某康复医院（演示）",
            party_details="兴庆区（演示地址）",
            facts="演示数据：该院安排无需住院的参保人办理住院手续，实际不在院，按住院结算医保费用。",
            how_known="演示数据：本人亲属曾被邀请“免费住院体检”。",
            violation_codes=["nominal_bed", "fake_visits"],
            amount=Decimal("120000.00"),
            submission_key=secrets.token_urlsafe(24),
        ),
        ReportDraft(
            region=regions["341622"],
            party_kind="pharmacy",
            party_name="蒙城县某大药房（演示）",
            facts="演示数据：药店用医保卡结算日用品和保健品，小票上记为药品。",
            violation_codes=["swapping"],
            identity=ReporterIdentity(
                name="张演示", id_number="11010519491231002X", phone="13800138000"
            ),
            wants_reward=True,
            submission_key=secrets.token_urlsafe(24),
        ),
    ]
    receipts = []
    for draft in drafts:
        receipt = submit_report(session, draft, cipher=data_cipher(), hasher=access_code_hasher())
        receipts.append((receipt.case_number, receipt.access_code))
    return receipts
