"""A worker's peak memory while it takes one upload; run as `python -m tests.intake.memory_probe`.

A fresh process creates the app on its own SQLite file, posts a benign file of the same
kind (so modules and caches are paid for), reads its peak resident size (VmHWM), posts
the hostile file, and reads it again. It prints one JSON line for the test to judge.
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path


def peak_mb() -> float:
    """Return this process's peak resident set size in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


def main(folder: str, warm_name: str, hostile_name: str) -> None:
    """Post `warm_name` then `hostile_name` from `folder` to /report and report the growth."""
    from portal import create_app
    from portal.db import Base, db_session, make_engine
    from portal.jurisdictions.seed import seed_regions
    from tests.conftest import report_form, test_config

    url = f"sqlite:///{folder}/probe.sqlite3"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    engine.dispose()
    app = create_app(test_config(url))
    with app.app_context():
        seed_regions(db_session())
        db_session().commit()
    client = app.test_client()
    client.set_cookie("lang", "en")

    def post(name: str) -> tuple[int, str]:
        data = report_form()
        data["evidence"] = [((Path(folder) / name).open("rb"), name)]
        resp = client.post("/report", data=data, content_type="multipart/form-data")
        return resp.status_code, resp.get_data(as_text=True)

    warm_status, _ = post(warm_name)
    before = peak_mb()
    status, body = post(hostile_name)
    after = peak_mb()
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "warm_status": warm_status,
                "status": status,
                "growth_mb": round(after - before, 1),
                "peak_mb": round(after, 1),
                "child_peak_mb": round(children, 1),
                "body": body,
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:4])
