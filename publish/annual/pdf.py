"""The PDF of an annual report, drawn by WeasyPrint from the same frozen view as its page.

Chinese text is set in WenQuanYi Zen Hei (Debian's fonts-wqy-zenhei), embedded as text, so
the figures and names can be selected and searched (docs/domain.md §15). WeasyPrint needs
Debian's Pango (libpango-1.0-0, libpangoft2-1.0-0: scripts/ensure-system-deps.sh); it is
imported only here, when a report is published, so the rest of the portal runs without it.
The document fetches nothing: every part of it is in the HTML.
"""

from __future__ import annotations

import logging

from flask import render_template
from flask_babel import force_locale

from publish.annual.models import AnnualReport
from publish.annual.pages import absolute, annual_view
from publish.feeds.queries import office_name

# WeasyPrint logs every step of every document at INFO: the portal's log is for our events.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def render_html(report: AnnualReport) -> str:
    """Return the HTML the PDF of `report` is drawn from, in Chinese."""
    with force_locale("zh_Hans_CN"):
        return render_template(
            "publish/annual/report_pdf.html",
            view=annual_view(report, "zh", external=True),
            office=office_name(report.region),
            page_url=absolute(
                "annual.show_version",
                code=report.region.code,
                year=report.year,
                version=report.version,
            ),
        )


def render_pdf(report: AnnualReport) -> bytes:
    """Return the PDF of `report`."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # No protocol allowed: the document never reads a file or an address.
    document = HTML(string=render_html(report), url_fetcher=URLFetcher(allowed_protocols=()))
    pdf: bytes = document.write_pdf()
    return pdf
