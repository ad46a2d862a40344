"""Administration of staff accounts: within the administrator's jurisdiction, never their own rights.

Thin by design: `portal.accounts.operations` holds the bounds and `portal.accounts.grants`
the requests that wait for a custodian.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select

from portal.accounts.forms import NewStaffUserForm, StaffUserForm
from portal.accounts.grants import pending_grant, pending_grants_of
from portal.accounts.models import StaffGrantRequest, StaffUser
from portal.accounts.operations import administer_new_user, update_staff_user
from portal.accounts.policies import staff_route
from portal.accounts.roles import CASE_FILE_ROLES, ROLE_LABELS
from portal.accounts.supervisors import SupervisorProfile, profile_of
from portal.db import db_session
from portal.errors import message_for, on_refusal
from portal.forms import as_choices, refused
from portal.jurisdictions.models import Region, get_region_by_code
from portal.jurisdictions.tree import in_jurisdiction, regions_within, subtree_ids
from portal.security import limiter, password_hasher, staff_post_limit
from portal.web import current_user, region_options, staff_links

bp = Blueprint("admin", __name__, url_prefix="/staff/admin")


def _region_choices() -> list[tuple[str, str]]:
    """The administrator's own region and those below it: the only ones they act on."""
    return region_options(regions_within(db_session(), current_user().region))


def _chosen_region(form: StaffUserForm) -> Region:
    region = get_region_by_code(db_session(), form.region.data)
    if region is None:  # validate_choice offered only regions of the subtree
        abort(422)
    return region


def _waits_for_custodian(grant: StaffGrantRequest | None) -> str:
    if grant is None:
        return ""
    return str(
        _(
            "The roles that open case files and the custodian right take effect when a custodian of the region approves."
        )
    )


@bp.get("/users")
@staff_route("administrator")
def list_users() -> ResponseReturnValue:
    """The accounts of the administrator's jurisdiction with their roles and state."""
    session = db_session()
    ids = subtree_ids(session, current_user().region_id)
    users = list(
        session.scalars(
            select(StaffUser).where(StaffUser.region_id.in_(ids)).order_by(StaffUser.username)
        )
    )
    return render_template(
        "portal/accounts/users.html",
        users=users,
        role_labels=ROLE_LABELS,
        pending=pending_grants_of(session, users),
        admin_links=staff_links(current_user(), admin=True),
    )


def _new_form() -> NewStaffUserForm:
    form = NewStaffUserForm()
    form.region.choices = as_choices(_region_choices())
    return form


def _render_user_form(
    form: StaffUserForm, user: StaffUser | None, status: int = 200
) -> ResponseReturnValue:
    grant = pending_grant(db_session(), user) if user is not None else None
    page = render_template(
        "portal/accounts/user_form.html",
        form=form,
        user=user,
        grant=grant,
        role_labels=ROLE_LABELS,
        case_file_roles=CASE_FILE_ROLES,
    )
    return page, status


@bp.get("/users/new")
@staff_route("administrator")
def new_user() -> ResponseReturnValue:
    """The form for a new account."""
    return _render_user_form(_new_form(), None)


@bp.post("/users/new")
@limiter.limit(staff_post_limit)
@staff_route("administrator")
def create_user() -> ResponseReturnValue:
    """Create an account with a one-time password; case-file rights wait for a custodian."""
    form = _new_form()
    if not form.validate_on_submit():
        return _render_user_form(form, None, 422)
    on_refusal(lambda error: _render_user_form(refused(form, message_for(error)), None, 409))
    user, grant = administer_new_user(
        db_session(),
        actor=current_user(),
        username=form.username.data,
        display_name=form.display_name.data.strip(),
        password=form.password.data,
        region=_chosen_region(form),
        roles=list(form.roles.data or []),
        wants_custodian=bool(form.wants_custodian.data),
        term_start=form.term_start.data,
        term_end=form.term_end.data,
        hasher=password_hasher(),
        email=form.email.data,
        supervisor=form.supervisor_fields(),
    )
    created = _(
        "Account %(name)s created. Its first password works once: the user sets their own at first sign-in.",
        name=user.username,
    )
    flash(" ".join(m for m in (created, _waits_for_custodian(grant)) if m), "success")
    return redirect(url_for("admin.list_users"), code=303)


def _load_user(user_id: int) -> StaffUser:
    """Return an account of the administrator's jurisdiction, else answer 404."""
    user = db_session().get(StaffUser, user_id)
    if user is None or not in_jurisdiction(current_user(), user.region):
        abort(404)
    return user


@bp.get("/users/<int:user_id>")
@staff_route("administrator")
def edit_user(user_id: int) -> ResponseReturnValue:
    """The form for an existing account."""
    user = _load_user(user_id)
    profile = profile_of(db_session(), user)
    form = StaffUserForm(
        display_name=user.display_name,
        region=user.region.code,
        roles=sorted(user.role_names),
        wants_custodian=user.wants_custodian,
        is_active=user.is_active,
        term_start=user.term_start,
        term_end=user.term_end,
        **_profile_data(profile),
    )
    form.region.choices = as_choices(_region_choices())
    return _render_user_form(form, user)


def _profile_data(profile: SupervisorProfile | None) -> dict[str, object]:
    """The supervisor's recorded profile as the form's initial data (docs/domain.md §14)."""
    if profile is None:
        return {}
    return {
        "affiliation": profile.affiliation.value,
        "organisation": profile.organisation,
        "roster": "listed" if profile.listed else "off",
        "consent_on": profile.consent_on,
        "off_roster_reason": profile.off_roster_reason or "",
    }


@bp.post("/users/<int:user_id>")
@limiter.limit(staff_post_limit)
@staff_route("administrator")
def update_user(user_id: int) -> ResponseReturnValue:
    """Change an account; widening its reach waits for a custodian's approval."""
    user = _load_user(user_id)
    form = StaffUserForm()
    form.region.choices = as_choices(_region_choices())
    if not form.validate_on_submit():
        return _render_user_form(form, user, 422)
    on_refusal(lambda error: _render_user_form(refused(form, message_for(error)), user, 409))
    grant = update_staff_user(
        db_session(),
        user,
        actor=current_user(),
        display_name=form.display_name.data.strip(),
        region=_chosen_region(form),
        roles=list(form.roles.data or []),
        is_active=bool(form.is_active.data),
        wants_custodian=bool(form.wants_custodian.data),
        term_start=form.term_start.data,
        term_end=form.term_end.data,
        supervisor=form.supervisor_fields(),
    )
    saved = _("Account %(name)s saved.", name=user.username)
    flash(" ".join(m for m in (saved, _waits_for_custodian(grant)) if m), "success")
    return redirect(url_for("admin.list_users"), code=303)
