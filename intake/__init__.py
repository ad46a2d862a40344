"""Intake: reports and their whole lifecycle, from the form to the reward."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

# Importing the models registers their tables (the model registry is Base.metadata).
from intake import models as _models  # noqa: F401
from intake.appraisal import models as _appraisal_models  # noqa: F401
from intake.calendar import models as _calendar_models  # noqa: F401
from intake.contact import models as _contact_models  # noqa: F401
from intake.identity import models as _identity_models  # noqa: F401
from intake.inspections import models as _inspection_models  # noqa: F401
from intake.opinions import models as _opinion_models  # noqa: F401
from intake.penalties import models as _penalty_models  # noqa: F401
from intake.review import models as _review_models  # noqa: F401
from intake.rewards import models as _reward_models  # noqa: F401
from intake.tracking import models as _tracking_models  # noqa: F401
from intake.transfers import models as _transfer_models  # noqa: F401


def init_app(app: Flask) -> None:
    """Register intake's pages, commands, refusal words, staff links and demo reports."""
    from intake import cli
    from intake.appraisal.messages import MESSAGES as APPRAISAL_MESSAGES
    from intake.appraisal.views import bp as appraisal
    from intake.calendar.views import bp as calendar
    from intake.clues.views import bp as clues
    from intake.contact.reminders import reward_reminder_job
    from intake.demo import seed_demo_office, seed_demo_reports
    from intake.digest import init_app as init_digest
    from intake.digest.items import DigestItem, register_digest_items
    from intake.filing.views import bp as filing
    from intake.identity.views import bp as identity
    from intake.inspections.demo import seed_demo_inspections
    from intake.inspections.messages import MESSAGES as INSPECTION_MESSAGES
    from intake.inspections.views_office import bp as inspections
    from intake.inspections.views_supervisor import bp as supervised_inspections
    from intake.major.views import bp as major
    from intake.messages import MESSAGES
    from intake.office.queue import REVIEW_ROLES
    from intake.office.views import bp as office
    from intake.opinions.demo import seed_demo_opinions
    from intake.opinions.messages import MESSAGES as OPINION_MESSAGES
    from intake.opinions.queries import (
        OPINION_ROLES,
        OVERDUE_ARGS,
        OVERDUE_ENDPOINT,
        opinions_overdue_count,
    )
    from intake.opinions.views import bp as opinions
    from intake.penalties.messages import MESSAGES as PENALTY_MESSAGES
    from intake.penalties.views import bp as penalty_records
    from intake.review.messages import MESSAGES as REVIEW_MESSAGES
    from intake.review.queries import REVIEWS_DUE_ARGS, REVIEWS_DUE_ENDPOINT, reviews_due_count
    from intake.review.views import bp as review
    from intake.rewards.views import bp as rewards
    from intake.tracking.queries import event_words
    from intake.tracking.views import bp as tracking
    from intake.transfers.queries import FOLLOW_UP_ROLES, transfers_due_count
    from portal.errors import register_messages
    from portal.ops.demo import DemoContext, register_demo_seeder
    from portal.web import StaffLink, register_staff_links

    for blueprint in (
        filing,
        tracking,
        office,
        identity,
        rewards,
        clues,
        calendar,
        penalty_records,
        major,
        review,
        opinions,
        appraisal,
        inspections,
        supervised_inspections,
    ):
        app.register_blueprint(blueprint)
    app.add_template_global(event_words, "event_words")
    register_messages(MESSAGES)
    register_messages(PENALTY_MESSAGES)
    register_messages(REVIEW_MESSAGES)
    register_messages(OPINION_MESSAGES)
    register_messages(APPRAISAL_MESSAGES)
    register_messages(INSPECTION_MESSAGES)
    cli.register(app)
    init_digest(app)
    # Transfers past their day without an outcome (docs/domain.md §12) and reviews to answer
    # (§11) are awaited work too.
    register_digest_items(
        app,
        DigestItem(
            _l("Transfers awaiting an outcome"),
            transfers_due_count,
            "office.list_queue_view",
            {"transfers_due": "y"},
            FOLLOW_UP_ROLES,
        ),
        # Reviews the person's office must answer (docs/domain.md §11).
        DigestItem(
            _l("Reviews to answer"),
            reviews_due_count,
            REVIEWS_DUE_ENDPOINT,
            REVIEWS_DUE_ARGS,
            REVIEW_ROLES,
        ),
        # Supervisors' opinions past their reply deadline (docs/domain.md §14).
        DigestItem(
            _l("Opinions of supervisors overdue for a reply"),
            opinions_overdue_count,
            OVERDUE_ENDPOINT,
            OVERDUE_ARGS,
            OPINION_ROLES,
        ),
    )
    # The reminder before a reward lapses (docs/domain.md §10): each cycle of the notice
    # worker, and in `run-deadlines` for cron.
    app.extensions.setdefault("portal.periodic", []).append(reward_reminder_job)
    register_staff_links(
        app,
        StaffLink(_l("Work queue"), "office.list_queue", order=10, landing=10),
        StaffLink(
            _l("Register a report"),
            "office.new_registration",
            order=20,
        ),
        StaffLink(_l("Major cases"), "major.list_major_cases_view", order=15),
        StaffLink(_l("Identity requests"), "identity.list_identity_requests", order=30, landing=90),
        StaffLink(_l("Clues"), "clues.list_clues", order=40, landing=20),
        # Opinions and replies (docs/domain.md §14): the supervisor's own, the office's to answer.
        StaffLink(_l("Opinions and suggestions"), "opinions.list_opinions", order=42),
        StaffLink(_l("Opinions to answer"), "opinions.list_office_opinions_view", order=17),
        StaffLink(_l("Penalty decisions"), "penalty_records.list_penalties", order=68),
        # Inspections with supervisors (docs/domain.md §14): the office's and a supervisor's.
        StaffLink(_l("Inspections"), "inspections.list_inspections", order=66),
        StaffLink(_l("Inspections"), "supervised_inspections.list_my_inspections", order=45),
        StaffLink(
            _l("Holiday calendar"),
            "calendar.show_calendar",
            menu=False,
            admin=True,
        ),
        # The yearly appraisal of social supervisors (docs/domain.md §14).
        StaffLink(
            _l("Supervisor appraisal"),
            "appraisal.list_appraisals",
            menu=False,
            admin=True,
        ),
        StaffLink(
            _l("Reward schedule"),
            "rewards.show_reward_schedule",
            menu=False,
            admin=True,
        ),
    )

    def _seed_reports(session: Session, context: DemoContext) -> None:
        context.receipts.extend(seed_demo_reports(session, context.regions))
        worked = seed_demo_office(session, context.regions)
        context.echo(f"demo office: {worked} more reports in every stage of the work queue")

    register_demo_seeder(app, 30, _seed_reports)
    register_demo_seeder(app, 35, seed_demo_opinions)
    # After the directory, the accounts and the demo penalties (publishing's, order 40).
    register_demo_seeder(app, 50, seed_demo_inspections)
