"""Staff accounts: sign-in, passwords, roles, administrators' bounds and custodians' approvals."""

from __future__ import annotations

from flask import Flask, Response, current_app, g, request
from flask_babel import lazy_gettext as _l

from portal.errors import register_messages
from portal.web import StaffLink, register_staff_links

MESSAGES = {
    "username_taken": _l("This username is taken."),
    "unknown_role": _l("Choose roles from the list."),
    "outside_jurisdiction": _l(
        "You administer only accounts and regions of your own jurisdiction and below."
    ),
    "self_change": _l(
        "You cannot change your own roles, jurisdiction, rights, term or state; another administrator must."
    ),
    "password_length": _l("Use at least %(n)d characters."),
    "password_weak": _l(
        "This password is too common or easy to guess. Try a longer phrase of unrelated words."
    ),
    "email_invalid": _l("Enter an e-mail address such as name@example.gov.cn, or leave it empty."),
    "supervisor_affiliation": _l("Choose the supervisor's category."),
    "supervisor_organisation": _l(
        "Give the organisation the supervisor belongs to, in at most 120 characters."
    ),
    "supervisor_consent": _l("Give the day the supervisor consented to be listed."),
    "supervisor_reason": _l(
        "Give the reason the supervisor is kept off the roster, in at most 200 characters."
    ),
    "grant_not_yours": _l(
        "Only a custodian of the region who neither asked nor is concerned decides this."
    ),
}


def _attach_staff_session() -> None:
    """Attach the staff session of the cookie, if any, to every /staff request."""
    if not request.path.startswith("/staff"):
        return
    from portal.accounts.sessions import STAFF_COOKIE, load_staff_session
    from portal.db import db_session

    # Sliding the idle expiry is written with the request's unit of work.
    g.staff_session = load_staff_session(
        db_session(),
        request.cookies.get(STAFF_COOKIE),
        idle_seconds=current_app.config["STAFF_IDLE_SECONDS"],
        absolute_seconds=current_app.config["STAFF_ABSOLUTE_SECONDS"],
    )


def _staff_pages_private(response: Response) -> Response:
    # Staff pages hold case files: never cached, never indexed.
    if request.path.startswith("/staff"):
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _staff_helpers() -> dict[str, object]:
    from portal.accounts.policies import current_staff
    from portal.forms import ActionForm
    from portal.web import staff_links

    return {"current_staff": current_staff, "action_form": ActionForm, "staff_links": staff_links}


def init_app(app: Flask) -> None:
    """Register sign-in, passwords, account administration, the custodians' page and commands."""
    from portal.accounts import (
        cli,
        views_access,
        views_account,
        views_password,
        views_signin,
        views_users,
    )

    for blueprint in (
        views_signin.bp,
        views_password.bp,
        views_account.bp,
        views_users.bp,
        views_access.bp,
    ):
        app.register_blueprint(blueprint)
    app.before_request(_attach_staff_session)
    app.after_request(_staff_pages_private)
    app.context_processor(_staff_helpers)
    register_messages(MESSAGES)
    register_staff_links(
        app,
        StaffLink(
            _l("Access changes"),
            "access.list_access_changes",
            order=35,
            when=lambda user: user.active_custodian_key() is not None,
        ),
        StaffLink(
            _l("Administration"),
            "admin.list_users",
            order=80,
            landing=40,
        ),
        StaffLink(_l("E-mail and digest"), "account.show_account", order=88),
        StaffLink(_l("Password"), "password.show_password", order=90),
    )
    cli.register(app)
    from portal.accounts.demo import seed_demo_accounts
    from portal.ops.demo import register_demo_seeder

    register_demo_seeder(app, 10, seed_demo_accounts)
