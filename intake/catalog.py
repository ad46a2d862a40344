"""Closed lists used by forms, cases and statistics (docs/domain.md §2 and §6).

Codes are stable identifiers stored in the database and posted by partner systems;
labels are translated with lazy_gettext so they follow the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Choice:
    """A stable code with a translatable label."""

    code: str
    label: object  # a LazyString


PARTY_KINDS: tuple[Choice, ...] = (
    Choice("hospital", _l("Designated hospital or clinic")),
    Choice("pharmacy", _l("Designated retail pharmacy")),
    Choice("insured_person", _l("Insured person")),
    Choice("agency_staff", _l("Insurance handling-agency staff")),
    Choice("medical_staff", _l("Medical staff")),
    Choice("other", _l("Other")),
)


@dataclass(frozen=True)
class ViolationGroup:
    """Violation types grouped by who commits them."""

    code: str
    label: object
    types: tuple[Choice, ...]


VIOLATION_GROUPS: tuple[ViolationGroup, ...] = (
    ViolationGroup(
        "institution",
        _l("Medical institutions and pharmacies"),
        (
            Choice("split_admission", _l("Split admissions")),
            Choice("nominal_bed", _l("Nominal bed stays")),
            Choice("excessive_treatment", _l("Excessive treatment or tests")),
            Choice("split_prescription", _l("Split prescriptions")),
            Choice("over_prescribing", _l("Over-quantity or repeat drugs")),
            Choice("duplicate_charging", _l("Duplicate charging")),
            Choice("above_standard_charging", _l("Above-standard charging")),
            Choice("unbundled_charging", _l("Unbundled charging")),
            Choice("swapping", _l("Swapping drugs, consumables, items or facilities")),
            Choice("non_covered_billing", _l("Billing non-covered costs to the fund")),
            Choice("resale_kickbacks", _l("Facilitating drug resale or kickbacks")),
        ),
    ),
    ViolationGroup(
        "institution_fraud",
        _l("Fraud by institutions"),
        (
            Choice("fake_visits", _l("Inducing or helping impersonated or fake visits")),
            Choice("false_certificates", _l("False certificates")),
            Choice("false_bills", _l("Colluding on false bills")),
            Choice(
                "forged_records", _l("Forging or destroying medical documents, vouchers or data")
            ),
            Choice("fabricated_services", _l("Fabricating medical services")),
        ),
    ),
    ViolationGroup(
        "individual",
        _l("Insured individuals"),
        (
            Choice("lending_card", _l("Lending one's insurance card")),
            Choice("using_others_card", _l("Using another person's card")),
            Choice("double_benefits", _l("Double benefits")),
            Choice("drug_resale", _l("Reselling drugs, including returned drugs")),
            Choice("forged_bills_individual", _l("Forged bills or records")),
            Choice("hiding_third_party", _l("Hiding third-party liability")),
        ),
    ),
    ViolationGroup(
        "staff",
        _l("Handling-agency staff"),
        (
            Choice("bribery", _l("Accepting bribes")),
            Choice("embezzlement", _l("Embezzling or misappropriating the fund")),
        ),
    ),
)

VIOLATION_CODES: frozenset[str] = frozenset(t.code for g in VIOLATION_GROUPS for t in g.types)
PARTY_KIND_CODES: frozenset[str] = frozenset(c.code for c in PARTY_KINDS)
# The party kinds that are people: never chosen from or linked to the directory of
# institutions (docs/domain.md §8), whose entries are institutions only.
PERSON_PARTY_KINDS: frozenset[str] = frozenset({"insured_person", "agency_staff", "medical_staff"})


def violation_label(code: str) -> object:
    """Return the translatable label of violation type `code`."""
    for group in VIOLATION_GROUPS:
        for choice in group.types:
            if choice.code == code:
                return choice.label
    raise KeyError(code)


def party_kind_label(code: str) -> object:
    """Return the translatable label of reported-party kind `code`."""
    for choice in PARTY_KINDS:
        if choice.code == code:
            return choice.label
    raise KeyError(code)


# Grounds for declining a report (不予受理), docs/domain.md §3: declining needs one of these.
DECLINE_GROUNDS: tuple[Choice, ...] = (
    Choice("not_reportable", _l("Not a reportable matter")),
    Choice("no_party_or_facts", _l("No clear reported party or no facts")),
    Choice("under_investigation", _l("Already under investigation")),
    Choice("repeat_no_new_clue", _l("Repeats a closed case with no new clue")),
    Choice("upheld_on_review", _l("Upheld on review by the higher level")),
    Choice(
        "litigation", _l("Belongs to litigation, arbitration or administrative reconsideration")
    ),
)

# Competent bodies a report outside our remit is transferred to (移送), docs/domain.md §3.
TRANSFER_BODIES: tuple[Choice, ...] = (
    Choice("health_commission", _l("Health commission")),
    Choice("market_regulation", _l("Market regulation administration")),
    Choice("police", _l("Public security (suspected crime)")),
    Choice("discipline", _l("Discipline inspection and supervision")),
)

# Handling measures (docs/domain.md §4 and §5).
MEASURES: tuple[Choice, ...] = (
    Choice("recover", _l("Recover the fund loss")),
    Choice("fine", _l("Fine")),
    Choice("correction", _l("Order to correct within a deadline")),
    Choice("suspend_agreement", _l("Suspend the service agreement")),
    Choice("terminate_agreement", _l("Terminate the service agreement")),
    Choice("licence_action", _l("Action on a practising licence")),
    Choice("to_police", _l("Transfer to the police")),
    Choice("to_discipline", _l("Transfer to discipline inspection")),
)


def label_of(choices: tuple[Choice, ...], code: str) -> object:
    """Return the label of `code` in `choices`, or the code itself when it is unknown."""
    return next((c.label for c in choices if c.code == code), code)


# Short stage names for staff pages (the reporter's page explains each in plain words).
STAGE_LABELS: tuple[Choice, ...] = (
    Choice("received", _l("Awaiting acceptance")),
    Choice("checking", _l("Checking")),
    Choice("handling", _l("Handling")),
    Choice("feedback", _l("Feedback")),
    Choice("reward", _l("Reward")),
    Choice("closed", _l("Closed")),
    Choice("declined", _l("Declined")),
    Choice("transferred", _l("Transferred")),
)


# How a report arrived when an intake officer registered it (docs/domain.md §2).
CHANNEL_LABELS: tuple[Choice, ...] = (
    Choice("hotline", _l("By telephone (hotline)")),
    Choice("letter", _l("By letter")),
    Choice("visit", _l("In person")),
    # Checked first (docs/domain.md §12): exposed by the media, handed over by a department.
    Choice("media", _l("Exposed by the media")),
    Choice("department", _l("Handed over by another department")),
)

# Channels whose reports are checked first, like real-name reports (docs/domain.md §12).
PRIORITY_CHANNELS: frozenset[str] = frozenset({"media", "department"})

# Why an officer marks a report as a major case (要情, docs/domain.md §12). A report whose
# amount reaches PORTAL_MAJOR_CASE_AMOUNT is major on its own, recorded as MAJOR_BY_AMOUNT.
MAJOR_BY_AMOUNT = "amount"
MAJOR_GROUNDS: tuple[Choice, ...] = (
    Choice("media_attention", _l("Media attention")),
    Choice("many_insured_harmed", _l("Many insured persons harmed")),
    Choice("agency_staff_involved", _l("Handling-agency staff involved")),
    Choice("death_or_injury", _l("Death or injury")),
)
MAJOR_BASIS_LABELS: tuple[Choice, ...] = (
    Choice(MAJOR_BY_AMOUNT, _l("Amount of one million yuan or more")),
    *MAJOR_GROUNDS,
)

# What the body a report was transferred to did with it (docs/domain.md §12): the reporter
# reads these words on /track, never the note beside them.
TRANSFER_OUTCOMES: tuple[Choice, ...] = (
    Choice("case_opened", _l("The body opened a case")),
    Choice("handled", _l("The body has dealt with the matter")),
    Choice("no_case", _l("The body found no grounds to open a case")),
    Choice("passed_on", _l("The body passed it to another competent body")),
)

# Where a reward stands (docs/domain.md §4): the one table of its words on staff pages.
REWARD_STATUS_LABELS: tuple[Choice, ...] = (
    Choice("proposed", _l("proposed, awaiting approval")),
    Choice("approved", _l("approved and offered, awaiting the claim")),
    Choice("refused", _l("refused")),
    Choice("claimed", _l("claimed, awaiting payment")),
    Choice("paid", _l("paid")),
    Choice("lapsed", _l("lapsed (not claimed in time)")),
)

# Where a request to open a sealed identity stands (docs/domain.md §7).
ACCESS_REQUEST_STATUS_LABELS: tuple[Choice, ...] = (
    Choice("pending", _l("waiting")),
    Choice("approved", _l("approved")),
    Choice("refused", _l("refused")),
)

# What the running deadline of each stage is for (docs/domain.md §3), shown beside its date.
DUE_LABELS: tuple[Choice, ...] = (
    Choice("received", _l("Decision on acceptance due")),
    Choice("checking", _l("Decision on opening a case due")),
    Choice("handling", _l("Handling due")),
    Choice("feedback", _l("Reward notice due")),
    Choice("reward", _l("Reward notice due")),
)

# The reward work waiting in the queue (docs/domain.md §4): who acts next on each.
REWARD_QUEUE_LABELS: tuple[Choice, ...] = (
    Choice("to_propose", _l("Rewards to propose")),
    Choice("proposed", _l("Rewards awaiting approval")),
    Choice("claimed", _l("Rewards awaiting payment")),
)
