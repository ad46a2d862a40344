"""A reporter's identity and its checks: real name, resident ID checksum, phone (docs/domain.md §2)."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from datetime import date

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


_ID_CHECK = "10X98765432"


_MOBILE = re.compile(r"^1[3-9]\d{9}$")


_LANDLINE = re.compile(r"^0\d{2,3}\d{7,8}$")


# Han characters, with the middle dot used in many minority names (e.g. 买买提·艾力).
_REAL_NAME = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff]+(?:[·•][\u3400-\u4dbf\u4e00-\u9fff]+)*$")


# Words that stand for "someone" rather than a name: an alias is not accepted (docs/domain.md §2).
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
    def typed(
        cls, *, name: str, id_number: str, phone: str, address: str = "", email: str = ""
    ) -> ReporterIdentity:
        """Return the identity as a reporter typed it, tidied: spaces trimmed, ID upper-case."""
        return cls(
            name=name.strip(),
            id_number=id_number.strip().upper(),
            phone=normalize_phone(phone) or "",
            address=address.strip(),
            email=email.strip(),
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> ReporterIdentity:
        """Deserialise an opened seal."""
        return cls(**json.loads(data.decode("utf-8")))
