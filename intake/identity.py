"""The reporter's identity: validation of what they give, and sealing it (domain.md §2, §7)."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from intake.models import IdentityGrant, IdentitySeal, Report
from portal.crypto import (
    DecryptionError,
    LockedPrivateKey,
    envelope_decrypt,
    envelope_encrypt,
    new_envelope_key,
    seal_to,
    unlock_private_key,
    unseal,
)
from portal.models import CustodianKey, get_active_recovery_key

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}\d{7,8}$")
# Han characters, with the middle dot used in many minority names (e.g. 买买提·艾力).
_REAL_NAME = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff]+(?:[·•][\u3400-\u4dbf\u4e00-\u9fff]+)*$")
# Words that stand for "someone" rather than a name: an alias is not accepted (§2).
_ALIAS_MARKERS = ("某", "匿名", "无名", "佚名", "不详", "保密", "先生", "女士", "小姐")


def resident_id_is_valid(value: str, today: date) -> bool:
    """Return whether `value` is an 18-character resident ID with a valid date and checksum."""
    value = value.strip().upper()
    if len(value) != 18 or not value[:17].isdigit() or value[17] not in "0123456789X":
        return False
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    if born > today or born.year < 1900:
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == value[17]


def normalize_phone(value: str) -> str | None:
    """Return a mainland mobile or landline number without separators, or None if invalid."""
    digits = re.sub(r"[\s\-()（）]", "", value)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if _MOBILE.match(digits) or _LANDLINE.match(digits):
        return digits
    return None


def real_name_problem(value: str) -> str | None:
    """Return why `value` is not acceptable as a real name, or None if it is."""
    name = value.strip()
    if not 2 <= len(name) <= 30 or not _REAL_NAME.match(name):
        return "format"
    if any(marker in name for marker in _ALIAS_MARKERS):
        return "alias"
    return None


@dataclass(frozen=True)
class ReporterIdentity:
    """What a real-name reporter tells us about themselves. Never logged, never printed."""

    name: str
    id_number: str
    phone: str
    address: str = ""
    email: str = ""

    def __repr__(self) -> str:
        return "<ReporterIdentity sealed>"

    def to_bytes(self) -> bytes:
        """Serialise for sealing."""
        return json.dumps(asdict(self), ensure_ascii=False).encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> ReporterIdentity:
        """Deserialise an opened seal."""
        return cls(**json.loads(data.decode("utf-8")))


class SealingUnavailable(RuntimeError):
    """No recovery key is configured, so an identity could not be sealed safely."""


def custodian_keys_for(session: Session, report: Report) -> list[CustodianKey]:
    """Return the active custodian keys of the report's jurisdiction and its ancestors."""
    region_ids = [r.id for r in report.region.ancestors_and_self()]
    return list(
        session.scalars(
            select(CustodianKey)
            .where(CustodianKey.region_id.in_(region_ids), CustodianKey.retired_at.is_(None))
            .order_by(CustodianKey.id)
        )
    )


def seal_identity(
    session: Session, report: Report, identity: ReporterIdentity, purpose: str = "report"
) -> IdentitySeal:
    """Encrypt `identity` for the report's custodians and the recovery key, and add it."""
    recovery = get_active_recovery_key(session)
    if recovery is None:
        # Without the recovery key an identity could become unreadable for good.
        raise SealingUnavailable("no recovery key: run `flask --app portal create-recovery-key`")
    envelope_key = new_envelope_key()
    seal = IdentitySeal(
        purpose=purpose, ciphertext=envelope_encrypt(envelope_key, identity.to_bytes())
    )
    seal.grants.append(
        IdentityGrant(
            recovery_key_id=recovery.id, sealed_key=seal_to(recovery.public_key, envelope_key)
        )
    )
    for key in custodian_keys_for(session, report):
        seal.grants.append(
            IdentityGrant(custodian_key_id=key.id, sealed_key=seal_to(key.public_key, envelope_key))
        )
    seal.report_id = report.id
    session.add(seal)
    return seal


def open_with_custodian_password(
    session: Session, seal: IdentitySeal, custodian_key: CustodianKey, password: str
) -> ReporterIdentity:
    """Open a seal with a custodian's password, or raise DecryptionError."""
    grant = session.scalar(
        select(IdentityGrant).where(
            IdentityGrant.seal_id == seal.id, IdentityGrant.custodian_key_id == custodian_key.id
        )
    )
    if grant is None:
        raise DecryptionError("this identity was not sealed for this custodian")
    private = unlock_private_key(
        LockedPrivateKey(
            custodian_key.locked_private_key,
            custodian_key.kdf_salt,
            custodian_key.kdf_opslimit,
            custodian_key.kdf_memlimit,
        ),
        password,
    )
    return ReporterIdentity.from_bytes(
        envelope_decrypt(unseal(private, grant.sealed_key), seal.ciphertext)
    )


def open_with_recovery_key(seal: IdentitySeal, recovery_private_key: bytes) -> ReporterIdentity:
    """Open a seal with the offline recovery private key, or raise DecryptionError."""
    for grant in seal.grants:
        if grant.recovery_key_id is None:
            continue
        try:
            envelope_key = unseal(recovery_private_key, grant.sealed_key)
        except DecryptionError:
            continue
        return ReporterIdentity.from_bytes(envelope_decrypt(envelope_key, seal.ciphertext))
    raise DecryptionError("this identity was not sealed for that recovery key")
