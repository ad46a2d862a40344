import math
import re
from datetime import UTC, datetime

import argon2
import pytest

from intake.filing.receipts import (
    ACCESS_CODE_SYMBOLS,
    ALPHABET,
    AccessCodeHasher,
    new_access_code,
    new_case_number,
    normalize_access_code,
    normalize_case_number,
)

CHEAP = argon2.PasswordHasher.from_parameters(argon2.profiles.CHEAPEST)


def test_alphabet_has_no_look_alike_characters():
    assert not set("ILOU") & set(ALPHABET)
    assert len(set(ALPHABET)) == 32


def test_access_code_carries_at_least_80_bits():
    assert ACCESS_CODE_SYMBOLS * math.log2(len(ALPHABET)) >= 80


def test_access_code_is_grouped_in_fives_for_reading_aloud():
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}", new_access_code())


def test_access_codes_differ_each_time():
    assert len({new_access_code() for _ in range(200)}) == 200


@pytest.mark.parametrize(
    "typed",
    [
        "abcde-fghjk-mnpqr-stvwx",
        "ABCDEFGHJKMNPQRSTVWX",
        " abcde fghjk mnpqr stvwx ",
        "abcde_fghjk_mnpqr_stvwx",
    ],
)
def test_access_code_is_accepted_in_any_case_with_or_without_separators(typed):
    assert normalize_access_code(typed) == "ABCDEFGHJKMNPQRSTVWX"


def test_look_alike_letters_are_read_as_digits():
    assert normalize_access_code("OOOOO-IIIII-LLLLL-00000") == "00000111111111100000"


@pytest.mark.parametrize("typed", ["", "ABCDE", "ABCDEFGHJKMNPQRSTVWXY", "ABCDEFGHJKMNPQRSTVW*"])
def test_malformed_access_code_is_rejected(typed):
    assert normalize_access_code(typed) is None


def test_case_number_names_the_year_and_reads_in_blocks():
    number = new_case_number(datetime(2026, 11, 22, tzinfo=UTC))
    assert re.fullmatch(r"JB2026-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", number)


def test_case_number_is_accepted_in_lower_case_without_dashes():
    assert normalize_case_number("jb20267k3mq9xd") == "JB2026-7K3M-Q9XD"


def test_case_number_of_wrong_shape_is_rejected():
    assert normalize_case_number("JB2026-7K3M") is None


def test_access_code_hash_is_argon2id_with_its_own_salt():
    hasher = AccessCodeHasher(CHEAP)
    first, second = hasher.hash("ABCDEFGHJKMNPQRSTVWX"), hasher.hash("ABCDEFGHJKMNPQRSTVWX")
    assert first.startswith("$argon2id$")
    assert first != second


def test_right_code_verifies():
    hasher = AccessCodeHasher(CHEAP)
    assert hasher.verify(hasher.hash("ABCDEFGHJKMNPQRSTVWX"), "ABCDEFGHJKMNPQRSTVWX")


def test_wrong_code_does_not_verify():
    hasher = AccessCodeHasher(CHEAP)
    assert not hasher.verify(hasher.hash("ABCDEFGHJKMNPQRSTVWX"), "ABCDEFGHJKMNPQRSTVW0")


class CountingHasher(argon2.PasswordHasher):
    """Counts Argon2 verifications and the parameters each used."""

    def __init__(self):
        p = argon2.profiles.CHEAPEST
        super().__init__(
            p.time_cost, p.memory_cost, p.parallelism, p.hash_len, p.salt_len, type=p.type
        )
        self.verified = []

    def verify(self, hash, password):
        self.verified.append(argon2.extract_parameters(hash))
        return super().verify(hash, password)


def test_unknown_case_pays_the_same_argon2_verification_as_a_known_one():
    counting = CountingHasher()
    hasher = AccessCodeHasher(counting)
    stored = hasher.hash("ABCDEFGHJKMNPQRSTVWX")
    hasher.verify(stored, "ABCDEFGHJKMNPQRSTVW0")
    hasher.verify(None, "ABCDEFGHJKMNPQRSTVW0")
    hasher.verify(None, None)
    assert len(counting.verified) == 3
    assert all(p == counting.verified[0] for p in counting.verified)


def test_the_receipt_qr_code_holds_case_number_and_access_code_in_a_small_code() -> None:
    import segno

    from intake.filing.operations import Receipt
    from intake.filing.receipt_page import receipt_qr_text

    receipt = Receipt("JB2026-7K3M-Q9XD", "ABCDE-FGHJK-MNPQR-STVWX", None, None)  # type: ignore[arg-type]
    qr = segno.make(receipt_qr_text(receipt), error="m")
    assert (receipt_qr_text(receipt), qr.mode, qr.version) == (
        "JB2026-7K3M-Q9XD ABCDE-FGHJK-MNPQR-STVWX",
        "alphanumeric",
        3,
    )
