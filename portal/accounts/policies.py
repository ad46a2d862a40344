"""Who may use each staff route, and the guessing limits on staff secrets.

Every /staff route declares a policy with one of these decorators; a test fails on a
route without one and walks a role × jurisdiction matrix over all of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import abort, g, redirect, request, url_for

from portal.accounts.models import StaffSession, StaffUser
from portal.attempts import PerClient, PerSubject, guard_guesses
from portal.security import client_key, keyed_digest


@dataclass(frozen=True)
class Policy:
    """Who may use a staff route: nobody signed in, half signed in, or holders of roles."""

    kind: str  # "anonymous", "password_step" or "staff"
    roles: frozenset[str] = frozenset()
    # Identity custodians pass too, whatever their roles (they decide requests, §7).
    custodians: bool = False

    def allows(self, user: StaffUser) -> bool:
        """Return whether a fully signed-in `user` passes the role part of this policy."""
        if not self.roles and not self.custodians:
            return True
        if self.roles and user.has_role(*self.roles):
            return True
        return self.custodians and user.active_custodian_key() is not None


def current_staff() -> StaffUser | None:
    """Return the fully signed-in staff user of this request, if any."""
    row: StaffSession | None = g.get("staff_session")
    if row is None or not row.second_factor_done:
        return None
    return row.user


def _declare(view: Callable[..., Any], policy: Policy) -> Callable[..., Any]:
    view.policy = policy  # type: ignore[attr-defined]
    return view


def anonymous_route(view: Callable[..., Any]) -> Callable[..., Any]:
    """Declare a staff route open to anyone (the sign-in page)."""
    return _declare(view, Policy("anonymous"))


def password_step_route(view: Callable[..., Any]) -> Callable[..., Any]:
    """Declare a route for a user who has given their password but not yet a TOTP code."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if g.get("staff_session") is None:
            return redirect(url_for("staff.login"))
        return view(*args, **kwargs)

    return _declare(wrapper, Policy("password_step"))


def staff_route(
    *roles: str, custodians: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare a route for signed-in staff holding any of `roles` (any staff if none given).

    `custodians=True` lets identity custodians in as well (and, without roles, only them).
    """
    policy = Policy("staff", frozenset(roles), custodians)

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            user = current_staff()
            if user is None:
                if request.method == "GET":
                    return redirect(url_for("staff.login", next=request.path))
                abort(401)
            if not policy.allows(user):
                abort(403)
            return view(*args, **kwargs)

        return _declare(wrapper, policy)

    return decorate


def session_account() -> str:
    """The account of this (half or fully) signed-in browser, as a key that reveals nothing."""
    row = g.get("staff_session")
    return keyed_digest("login-account", row.user.username.lower() if row is not None else "")


CLIENT_GUESSES = PerClient("login-client", "RATELIMIT_LOGIN_CLIENT", client_key)


CODE_GUESSES = guard_guesses(
    CLIENT_GUESSES, PerSubject("code", "RATELIMIT_LOGIN_ACCOUNT_TRIES", session_account)
)


# Re-entering one's password (to change it, open a key, approve) counts like signing in.
PASSWORD_GUESSES = guard_guesses(
    CLIENT_GUESSES, PerSubject("password", "RATELIMIT_LOGIN_ACCOUNT_TRIES", session_account)
)
