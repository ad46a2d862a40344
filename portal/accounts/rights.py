"""What an account may do: its roles and region, and the refusal of an account operation."""

from __future__ import annotations

from collections.abc import Set as AbstractSet

from portal.accounts.models import StaffRole, StaffUser
from portal.db import utcnow
from portal.errors import OperationError
from portal.jurisdictions.models import Region


class StaffError(OperationError):
    """An account operation was refused; `code` says why (words: `portal.accounts.MESSAGES`)."""


def set_rights(user: StaffUser, *, region: Region, roles: AbstractSet[str]) -> None:
    """Give `user` exactly `roles` in `region` (the caller has checked who may)."""
    user.region = region
    for held in list(user.roles):
        if held.role not in roles:
            user.roles.remove(held)
    for name in sorted(roles - user.role_names):
        user.roles.append(StaffRole(role=name))


def retire_custodian_keys_if_moot(user: StaffUser) -> None:
    """Retire custodian keys of another region, or all of them when the right is gone.

    A custodian key belongs to one region: moving or revoking retires it, and a new key
    is made from the user's own password at their next sign-in.
    """
    for key in user.custodian_keys:
        if key.retired_at is None and (not user.wants_custodian or key.region_id != user.region.id):
            key.retired_at = utcnow()
