"""Publishing: disclosures, typical cases, the penalty list, statistics, office performance, annual reports, feeds, following, the supervisors' roster and the open-data API."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

# Importing the models registers their tables (the model registry is Base.metadata).
from publish.annual import models as _annual_models  # noqa: F401
from publish.cases import models as _cases_models  # noqa: F401
from publish.disclosures import models as _disclosures_models  # noqa: F401
from publish.following import models as _following_models  # noqa: F401
from publish.stats import rollups as _stats_rollups  # noqa: F401


def init_app(app: Flask) -> None:
    """Register publishing's pages, feeds, API, refusal words, staff links, cache tracking and demo data."""
    from intake.inspections.models import InspectionPenalty
    from intake.penalties.models import Penalty
    from portal.accounts.supervisors import SupervisorProfile
    from portal.errors import register_messages
    from portal.institutions.models import Institution, InstitutionName
    from portal.jurisdictions.models import Region
    from portal.ops.demo import DemoContext, register_demo_seeder
    from portal.pagecache import track_changes
    from portal.web import StaffLink, register_staff_links
    from publish.annual.cli import register as register_annual_cli
    from publish.annual.demo import seed_demo_annual_reports
    from publish.annual.models import AnnualReport
    from publish.annual.views import bp as annual
    from publish.annual.views_office import bp as annual_office
    from publish.api.views import bp as api
    from publish.cases.cli import register as register_cases_cli
    from publish.cases.models import CaseCorrection, TypicalCase
    from publish.cases.views import bp as cases
    from publish.cases.views_office import bp as cases_office
    from publish.catalog import period_name
    from publish.demo import seed_demo_disclosures
    from publish.demo_cases import seed_demo_cases
    from publish.disclosures.models import Disclosure, DisclosureRevision, FundLine
    from publish.disclosures.views import bp as disclosures
    from publish.disclosures.views_office import bp as disclosures_office
    from publish.feeds.views import bp as feeds
    from publish.following.views import bp as following
    from publish.home.views import bp as home
    from publish.institutions.views import bp as institutions
    from publish.messages import MESSAGES
    from publish.penalties.views import bp as penalties
    from publish.penalties.views_office import bp as penalty_publishing
    from publish.performance.demo import seed_demo_performance
    from publish.performance.views import bp as performance
    from publish.performance.views_office import bp as performance_office
    from publish.stats import dirty as stats_dirty
    from publish.stats import refresh as stats_refresh
    from publish.stats.views import bp as stats
    from publish.supervisors.views import bp as supervisors

    for blueprint in (
        home,
        disclosures,
        cases,
        feeds,
        stats,
        api,
        following,
        institutions,
        disclosures_office,
        cases_office,
        penalties,
        penalty_publishing,
        supervisors,
        performance,
        performance_office,
        annual,
        annual_office,
    ):
        app.register_blueprint(blueprint)
    register_messages(MESSAGES)
    # Statistics read rollups kept exact by marks every flush writes (publish/stats/rollups.py).
    stats_dirty.listen()
    stats_refresh.init_app(app)
    # One way to name a period on every page (docs/domain.md §5): 2022年第1季度, Q1 2022.
    app.add_template_global(period_name)
    # Any change to what public pages show moves the page cache's generation.
    track_changes(TypicalCase, CaseCorrection, Disclosure, DisclosureRevision, FundLine, Region)
    track_changes(Institution, InstitutionName)
    # The roster of social supervisors: every change of a supervisor's account, term or
    # profile touches their profile row (portal/accounts/supervisors.py).
    track_changes(SupervisorProfile)
    # Publishing a decision, a credit repair or a correction changes the penalty list; so
    # does linking it to the inspection it was found in (its page says so).
    track_changes(Penalty, InspectionPenalty)
    # Publishing an annual report (and superseding the version before) changes public pages.
    track_changes(AnnualReport)
    register_annual_cli(app)
    register_cases_cli(app)
    register_staff_links(
        app,
        StaffLink(_l("Following"), "following.show_following", order=45),
        StaffLink(
            _l("Disclosures"),
            "disclosures_office.show_import",
            order=60,
            landing=30,
        ),
        StaffLink(
            _l("Typical cases"),
            "cases_office.list_cases",
            order=65,
        ),
        StaffLink(_l("Office performance"), "performance_office.show_performance", order=70),
        StaffLink(_l("Annual reports"), "annual_office.list_reports", order=67),
    )

    def _seed_disclosures(session: Session, context: DemoContext) -> None:
        seed_demo_disclosures(session)
        context.echo("demo disclosures: the 2022 national fund figures")

    register_demo_seeder(app, 20, _seed_disclosures)
    # After the demo reports (30): a draft is made from one of them.
    register_demo_seeder(app, 40, seed_demo_cases)
    # After the demo staff: reports enough for the offices compared to show figures.
    register_demo_seeder(app, 50, seed_demo_performance)
    # Last: the reports freeze the figures, cases and penalties the other seeders made.
    register_demo_seeder(app, 90, seed_demo_annual_reports)
