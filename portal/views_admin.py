"""Administration: accounts, roles, jurisdictions and the holiday calendar. Thin by design."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import delete, select

from intake.models import CalendarOverride
from intake.rewards import (
    RewardSchedule,
    format_brackets,
    get_reward_schedule,
    parse_brackets,
    set_reward_schedule,
)
from portal import audit
from portal.auth import (
    MIN_PASSWORD_LENGTH,
    current_staff,
    in_jurisdiction,
    staff_route,
    subtree_ids,
)
from portal.db import db_session
from portal.forms import ActionForm, as_choices
from portal.forms_admin import (
    CalendarDayForm,
    NewStaffUserForm,
    RegionForm,
    RewardScheduleForm,
    StaffUserForm,
)
from portal.grants import pending_grant
from portal.jurisdictions import JurisdictionError, add_region, regions_within
from portal.models import GrantStatus, StaffGrantRequest, StaffUser, get_region_by_code
from portal.security import limiter, password_hasher, staff_post_limit
from portal.staff import (
    CASE_FILE_ROLES,
    ROLE_LABELS,
    StaffError,
    administer_new_user,
    update_staff_user,
)

bp = Blueprint("admin", __name__, url_prefix="/staff/admin")


def _me() -> StaffUser:
    user = current_staff()
    assert user is not None
    return user


def _region_choices() -> list[tuple[str, str]]:
    """The administrator's own region and those below it: the only ones they act on."""
    english = str(get_locale() or "").startswith("en")
    regions = regions_within(db_session(), _me().region)
    return [(r.code, r.label("en" if english else "zh")) for r in regions]


def staff_error_message(exc: StaffError) -> str:
    """Return the translated words for a refused account change."""
    messages = {
        "username_taken": _("This username is taken."),
        "unknown_role": _("Choose roles from the list."),
        "outside_jurisdiction": _(
            "You administer only accounts and regions of your own jurisdiction and below."
        ),
        "self_change": _(
            "You cannot change your own roles, jurisdiction, rights, term or state; another administrator must."
        ),
        "password_length": _("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH),
        "password_weak": _(
            "This password is too common or easy to guess. Try a longer phrase of unrelated words."
        ),
    }
    return messages.get(exc.code, _("This is not possible."))


def _error_field(form: StaffUserForm, exc: StaffError) -> Any:
    fields = {
        "username_taken": "username",
        "password_length": "password",
        "password_weak": "password",
        "outside_jurisdiction": "region",
        "unknown_role": "roles",
        "self_change": "roles",
    }
    return getattr(form, fields.get(exc.code, "roles"), form.roles)


def _granted_message(grant: StaffGrantRequest | None) -> str:
    if grant is None:
        return ""
    return _(
        "The roles that open case files and the custodian right take effect when a custodian of the region approves."
    )


@bp.get("/users")
@staff_route("administrator")
def list_users() -> str:
    """The accounts of the administrator's jurisdiction with their roles and state."""
    session = db_session()
    ids = subtree_ids(session, _me().region_id)
    users = session.scalars(
        select(StaffUser).where(StaffUser.region_id.in_(ids)).order_by(StaffUser.username)
    )
    pending = {
        g.user_id: g
        for g in session.scalars(
            select(StaffGrantRequest).where(StaffGrantRequest.status == GrantStatus.PENDING)
        )
    }
    return render_template(
        "admin/users.html", users=list(users), role_labels=ROLE_LABELS, pending=pending
    )


def _new_form() -> NewStaffUserForm:
    form = NewStaffUserForm()
    form.region.choices = as_choices(_region_choices())
    return form


def _render_user_form(
    form: StaffUserForm, user: StaffUser | None, status: int = 200
) -> tuple[str, int]:
    grant = pending_grant(db_session(), user) if user is not None else None
    return render_template(
        "admin/user_form.html",
        form=form,
        user=user,
        grant=grant,
        role_labels=ROLE_LABELS,
        case_file_roles=CASE_FILE_ROLES,
        english=str(get_locale() or "").startswith("en"),
    ), status


@bp.get("/users/new")
@staff_route("administrator")
def new_user() -> tuple[str, int]:
    """The form for a new account."""
    return _render_user_form(_new_form(), None)


@bp.post("/users/new")
@limiter.limit(staff_post_limit)
@staff_route("administrator")
def create_user() -> tuple[str, int] | Response:
    """Create an account with a one-time password; case-file rights wait for a custodian."""
    form = _new_form()
    if not form.validate_on_submit():
        return _render_user_form(form, None, 422)
    region = get_region_by_code(db_session(), form.region.data)
    assert region is not None  # validate_choice: only regions of the subtree are offered
    try:
        user, grant = administer_new_user(
            db_session(),
            actor=_me(),
            username=form.username.data,
            display_name=form.display_name.data.strip(),
            password=form.password.data,
            region=region,
            roles=list(form.roles.data or []),
            wants_custodian=bool(form.wants_custodian.data),
            term_start=form.term_start.data,
            term_end=form.term_end.data,
            hasher=password_hasher(),
        )
    except StaffError as exc:
        db_session().rollback()
        _error_field(form, exc).errors = [staff_error_message(exc)]
        return _render_user_form(form, None, 409)
    db_session().commit()
    flash(
        " ".join(
            m
            for m in (
                _(
                    "Account %(name)s created. Its first password works once: the user sets their own at first sign-in.",
                    name=user.username,
                ),
                _granted_message(grant),
            )
            if m
        ),
        "success",
    )
    return redirect(url_for("admin.list_users"), code=303)


def _load_user(user_id: int) -> StaffUser:
    """Return an account of the administrator's jurisdiction, else answer 404."""
    user = db_session().get(StaffUser, user_id)
    if user is None or not in_jurisdiction(_me(), user.region):
        abort(404)
    return user


@bp.get("/users/<int:user_id>")
@staff_route("administrator")
def edit_user(user_id: int) -> tuple[str, int]:
    """The form for an existing account."""
    user = _load_user(user_id)
    form = StaffUserForm(
        display_name=user.display_name,
        region=user.region.code,
        roles=sorted(user.role_names),
        wants_custodian=user.wants_custodian,
        is_active=user.is_active,
        term_start=user.term_start,
        term_end=user.term_end,
    )
    form.region.choices = as_choices(_region_choices())
    return _render_user_form(form, user)


@bp.post("/users/<int:user_id>")
@limiter.limit(staff_post_limit)
@staff_route("administrator")
def update_user(user_id: int) -> tuple[str, int] | Response:
    """Change an account; widening its reach waits for a custodian's approval."""
    user = _load_user(user_id)
    form = StaffUserForm()
    form.region.choices = as_choices(_region_choices())
    if not form.validate_on_submit():
        return _render_user_form(form, user, 422)
    region = get_region_by_code(db_session(), form.region.data)
    assert region is not None
    try:
        grant = update_staff_user(
            db_session(),
            user,
            actor=_me(),
            display_name=form.display_name.data.strip(),
            region=region,
            roles=list(form.roles.data or []),
            is_active=bool(form.is_active.data),
            wants_custodian=bool(form.wants_custodian.data),
            term_start=form.term_start.data,
            term_end=form.term_end.data,
        )
    except StaffError as exc:
        db_session().rollback()
        _error_field(form, exc).errors = [staff_error_message(exc)]
        return _render_user_form(form, user, 409)
    db_session().commit()
    flash(
        " ".join(
            m
            for m in (_("Account %(name)s saved.", name=user.username), _granted_message(grant))
            if m
        ),
        "success",
    )
    return redirect(url_for("admin.list_users"), code=303)


@bp.get("/calendar")
@staff_route("administrator")
def show_calendar() -> str:
    """Holidays and make-up days kept for years the calendar package does not know."""
    days = db_session().scalars(select(CalendarOverride).order_by(CalendarOverride.day))
    return render_template(
        "admin/calendar.html", days=list(days), form=CalendarDayForm(), delete_form=ActionForm()
    )


@bp.post("/calendar")
@limiter.limit(staff_post_limit)
@staff_route("administrator")
def add_calendar_day() -> tuple[str, int] | Response:
    """Add or replace one day of the fallback calendar."""
    form = CalendarDayForm()
    session = db_session()
    if not form.validate_on_submit():
        days = session.scalars(select(CalendarOverride).order_by(CalendarOverride.day))
        return render_template(
            "admin/calendar.html", days=list(days), form=form, delete_form=ActionForm()
        ), 422
    row = session.get(CalendarOverride, form.day.data) or CalendarOverride(day=form.day.data)
    row.is_workday = form.kind.data == "workday"
    row.note = (form.note.data or "").strip()
    session.add(row)
    audit.record(
        session,
        "calendar.day_set",
        actor=f"staff:{_me().id}",
        subject=f"day:{row.day.isoformat()}",
        details={"workday": row.is_workday},
    )
    session.commit()
    flash(_("Saved. Deadlines computed from now on use this day."), "success")
    return redirect(url_for("admin.show_calendar"), code=303)


@bp.post("/calendar/<day>/delete")
@limiter.limit(staff_post_limit)
@staff_route("administrator")
def delete_calendar_day(day: str) -> Response:
    """Remove one day of the fallback calendar."""
    from datetime import date

    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        abort(404)
    session = db_session()
    session.execute(delete(CalendarOverride).where(CalendarOverride.day == parsed))
    audit.record(
        session,
        "calendar.day_removed",
        actor=f"staff:{_me().id}",
        subject=f"day:{parsed.isoformat()}",
    )
    session.commit()
    return redirect(url_for("admin.show_calendar"), code=303)


@bp.get("/rewards")
@staff_route("administrator")
def show_reward_schedule() -> str:
    """The reward schedule in force, in a form to change it."""
    schedule = get_reward_schedule(db_session())
    form = RewardScheduleForm(
        brackets=format_brackets(schedule),
        floor=str(schedule.floor),
        cap=str(schedule.cap),
        insider_uplift_percent=str(schedule.insider_uplift_percent),
        fixed_min=str(schedule.fixed_min),
        fixed_max=str(schedule.fixed_max),
    )
    return render_template("admin/rewards.html", form=form)


@bp.post("/rewards")
@limiter.limit(staff_post_limit)
@staff_route("administrator")
def update_reward_schedule() -> tuple[str, int] | Response:
    """Check and store a new schedule; nothing is saved when any part is wrong."""
    form = RewardScheduleForm()
    if not form.validate_on_submit():
        return render_template("admin/rewards.html", form=form), 422
    try:
        schedule = RewardSchedule(
            brackets=parse_brackets(form.brackets.data),
            floor=Decimal(form.floor.data.replace(",", "")),
            cap=Decimal(form.cap.data.replace(",", "")),
            insider_uplift_percent=Decimal(form.insider_uplift_percent.data),
            fixed_min=Decimal(form.fixed_min.data.replace(",", "")),
            fixed_max=Decimal(form.fixed_max.data.replace(",", "")),
        )
        set_reward_schedule(db_session(), schedule, actor=f"staff:{_me().id}")
    except (ValueError, ArithmeticError):
        db_session().rollback()
        form.brackets.errors = [
            _(
                "The schedule does not hold together: bounds must rise, the last bracket must be "
                "unbounded, rates lie between 0 and 100 percent, and each minimum must not exceed its maximum."
            )
        ]
        return render_template("admin/rewards.html", form=form), 422
    db_session().commit()
    flash(_("The reward schedule was saved. New proposals use it."), "success")
    return redirect(url_for("admin.show_reward_schedule"), code=303)


def _region_form() -> RegionForm:
    # Nodes are added below the administrator's own; provinces come from the operator
    # (`flask --app portal add-region`), since no administrator's jurisdiction holds them.
    form = RegionForm()
    form.parent.choices = as_choices(_region_choices())
    return form


def _render_regions(form: RegionForm, status: int = 200) -> tuple[str, int]:
    return render_template(
        "admin/regions.html", regions=regions_within(db_session(), _me().region), form=form
    ), status


@bp.get("/regions")
@staff_route("administrator")
def list_jurisdictions() -> tuple[str, int]:
    """The jurisdiction tree and a form to add a node."""
    return _render_regions(_region_form())


@bp.post("/regions")
@limiter.limit(staff_post_limit)
@staff_route("administrator")
def add_jurisdiction() -> tuple[str, int] | Response:
    """Add a province, city or county."""
    form = _region_form()
    if not form.validate_on_submit():
        return _render_regions(form, 422)
    session = db_session()
    parent = get_region_by_code(session, form.parent.data)
    assert parent is not None  # validate_choice: only regions of the subtree are offered
    try:
        add_region(
            session,
            code=form.code.data,
            name_zh=form.name_zh.data,
            name_en=form.name_en.data,
            parent=parent,
            actor=f"staff:{_me().id}",
        )
    except JurisdictionError as exc:
        session.rollback()
        form.code.errors = [
            _("This code is already in the tree.")
            if str(exc) == "taken"
            else _("A county cannot have nodes below it.")
        ]
        return _render_regions(form, 409)
    session.commit()
    flash(_("Added to the jurisdiction tree."), "success")
    return redirect(url_for("admin.list_jurisdictions"), code=303)
