"""The report form in plain words: who is reported and what happened, as a citizen says it.

A citizen who saw "the hospital keeps patients on paper" does not know that is 挂床住院. The
form asks for a plain situation; this one table maps each to the legal violation types of
docs/domain.md §6, which staff see and count. "Not sure / other" maps to none: the report is
then marked "to be classified" on the staff page until an officer chooses its types, so no
count is ever fed a guess.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Situation:
    """A plain-language situation and the legal violation types it stands for."""

    code: str
    label: object  # a LazyString
    violation_codes: tuple[str, ...]


UNSURE = "unsure"

SITUATIONS: tuple[Situation, ...] = (
    Situation(
        "overcharging",
        _l("Charged too much, or for things not done"),
        ("above_standard_charging", "duplicate_charging", "unbundled_charging"),
    ),
    Situation(
        "paper_admission",
        _l("Recorded as in hospital without staying there (“on paper”)"),
        ("nominal_bed",),
    ),
    Situation(
        "unneeded_care",
        _l("Unneeded tests, treatment or too many drugs"),
        ("excessive_treatment", "over_prescribing"),
    ),
    Situation(
        "swapped_items",
        _l("Billed one drug or item but gave another, or billed what insurance does not cover"),
        ("swapping", "non_covered_billing"),
    ),
    Situation(
        "fake_visits",
        _l("Fake visits, invented services or forged records and bills"),
        ("fake_visits", "fabricated_services", "forged_records", "false_bills"),
    ),
    Situation(
        "someone_elses_card",
        _l("Using someone else’s insurance card, or lending one’s own"),
        ("using_others_card", "lending_card"),
    ),
    Situation(
        "drug_resale",
        _l("Buying drugs with insurance to sell them on"),
        ("drug_resale",),
    ),
    Situation(
        "agency_staff",
        _l("Insurance office staff taking bribes or fund money"),
        ("bribery", "embezzlement"),
    ),
    Situation(UNSURE, _l("Not sure, or something else"), ()),
)

SITUATION_CODES: frozenset[str] = frozenset(s.code for s in SITUATIONS)

# The kinds of reported party in a citizen's words; the codes (and the staff's labels) are
# those of intake/catalog.py PARTY_KINDS.
PLAIN_PARTY_KINDS: tuple[tuple[str, object], ...] = (
    ("hospital", _l("A hospital or clinic")),
    ("pharmacy", _l("A pharmacy")),
    ("insured_person", _l("A patient or other insured person")),
    ("medical_staff", _l("A doctor, nurse or other medical worker")),
    ("agency_staff", _l("Staff of a medical-insurance office")),
    ("other", _l("Someone else")),
)


def situation_label(code: str) -> object:
    """Return the plain label of situation `code`."""
    for situation in SITUATIONS:
        if situation.code == code:
            return situation.label
    raise KeyError(code)


def violation_codes_for(situation: str | None, chosen: list[str]) -> list[str]:
    """Return the legal types a report names: those chosen, else the situation's (maybe none)."""
    if chosen:
        return sorted(set(chosen))
    for candidate in SITUATIONS:
        if candidate.code == situation:
            return list(candidate.violation_codes)
    return []
