"""The words for the refusal codes of intake's operations (registered with `portal.errors`).

Codes shared with other features ("stale", "role", "reason", "password", "same_person",
"not_found") have their words in the shell.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

MESSAGES = {
    "stage": _l("This is not possible at the report's current stage."),
    "merged": _l("This report was merged into another."),
    "already_extended": _l("The deadline has already been extended once."),
    "no_notice_due": _l("No notice is owed to the reporter."),
    "ground": _l("Choose one of the listed grounds."),
    "body": _l("Choose one of the listed bodies."),
    "region": _l("The report cannot be moved there."),
    "assignee": _l("That officer cannot take reports of this region."),
    "decision": _l("Record at least one measure and the decision; amounts cannot be negative."),
    "same_report": _l("A report cannot be merged with itself."),
    "exists": _l("This has already been done."),
    "excluded": _l("An exclusion applies, so no reward may be proposed."),
    "reward_not_proposed": _l(
        "The reporter asked for a reward and none has been proposed yet: propose it first. "
        "If no reward is due (an exclusion applies), an approver closes the report with the reason."
    ),
    "reward_pending": _l(
        "The reward is still open (awaiting approval, the reporter's claim or the payment): "
        "the report closes once it is paid, refused or lapsed."
    ),
    "amount": _l("Give a case value, or a fixed sum within the configured range."),
    "no_key": _l("Sign out and in again so that your personal key can be made."),
    "seal": _l("Unknown identity record."),
    "lapsed": _l("The claim period has ended."),
    "no_reward": _l("There is no reward to claim."),
    "identity": _l("Give your identity to claim the reward."),
    "other_not_found": _l("No report with that case number in your jurisdiction."),
    "channel": _l("Choose how the report arrived."),
    "contact": _l(
        "Enter a mainland mobile number (11 digits, starting with 1) or an e-mail address, "
        "or leave it empty."
    ),
    "contact_closed": _l("The report is closed: a contact can no longer be left for it."),
    "institution_unknown": _l(
        "No institution of the directory has the code %(institution)s. Check the code, or leave it empty."
    ),
    "party_is_a_person": _l(
        "The party of this report is a person; only institutions are linked to the directory."
    ),
    "already_submitted": _l("This form was already sent: its report is %(case_number)s."),
    "sealing_unavailable": _l(
        "Real-name reports cannot be accepted right now. You may report anonymously or try later."
    ),
    "no_violation_type": _l("Choose at least one violation type."),
    "violation_unknown": _l("Choose only violation types from the list."),
    "already_major": _l("This report is already a major case."),
    "not_major": _l("This report is not a major case."),
    "major_by_amount": _l(
        "This report is a major case by its amount (one million yuan or more): it stays major."
    ),
    "major_ground": _l("Choose one of the listed grounds."),
    "no_transfer": _l("This report has no record of a transfer to follow up."),
    "transfer_outcome": _l("Choose one of the listed outcomes."),
    "transfer_date": _l("The date cannot be before the transfer was sent."),
    "unclassified": _l(
        "The report names no violation type yet: set its types before recording the handling decision."
    ),
}
