"""Demo disclosures for `seed-demo`, imported through the same operation as a publisher's file."""

from __future__ import annotations

from sqlalchemy.orm import Session

from publish.disclosures.columns import COLUMN_NAMES
from publish.disclosures.importing import ImportResult, import_disclosures

SOURCE = "国家医疗保障局《2022年全国医疗保障事业发展统计公报》"

# The real 2022 national figures of docs/domain.md §5, in 亿元. The accumulated balance
# brought forward is derived: 42,639.89 − 6,324.93.
ROWS = [
    {
        "region_code": "100000",
        "year": "2022",
        "period": "Y",
        "fund": "all",
        "unit": "亿元",
        "income_total": "30922.17",
        "expenditure_total": "24597.24",
        "balance_current": "6324.93",
        "balance_accumulated_previous": "36314.96",
        "balance_accumulated": "42639.89",
        "source": SOURCE,
    },
    {
        "region_code": "100000",
        "year": "2022",
        "period": "Y",
        "fund": "resident",
        "unit": "亿元",
        "income_total": "10128.90",
        "expenditure_total": "9353.44",
        "balance_current": "775.46",
        "source": SOURCE,
    },
]


def seed_demo_disclosures(session: Session) -> ImportResult:
    """Import the real 2022 national figures (nothing else is presented as real)."""
    rows = [{name: row.get(name, "") for name in COLUMN_NAMES} for row in ROWS]
    return import_disclosures(session, rows, change_note="", actor_id=None)
