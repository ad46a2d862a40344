"""The one-time receipt page, shown after filing online or registering a report off-line."""

from __future__ import annotations

import segno
from flask import (
    render_template,
)

from intake.filing.operations import (
    Receipt,
)
from portal.web import external_url


def receipt_qr_text(receipt: Receipt) -> str:
    """Return what the receipt's QR code holds: the case number and the access code.

    Only characters of the QR alphanumeric mode (capitals, digits, space, hyphen), so the
    code stays small (version 3): large modules scan well from paper, and it is drawn in
    a few milliseconds. Labelled Chinese text needed byte mode, version 6 and about a
    sixth of a submission's time outside Argon2 (bench/results.md). The page prints the
    labels beside the code.
    """
    return f"{receipt.case_number} {receipt.access_code}"


def render_receipt(
    receipt: Receipt, layout: str = "base.html", *, identity_ignored: bool = False
) -> tuple[str, int]:
    """Render the one-time receipt page with its printable QR code.

    `identity_ignored`: real-name fields were filled in while "anonymous" was chosen, so the
    report is anonymous and the page must say that the name was not recorded.
    """
    qr_svg = segno.make(receipt_qr_text(receipt), error="m").svg_inline(
        scale=4, dark="#000", light="#fff", omitsize=False
    )
    return render_template(
        "intake/filing/receipt.html",
        receipt=receipt,
        qr_svg=qr_svg,
        layout=layout,
        identity_ignored=identity_ignored,
        # Printed, the receipt must say where to use it (docs/domain.md §2).
        track_url=external_url("tracking.show_track"),
        home_url=external_url("home.show_home"),
    ), 201
