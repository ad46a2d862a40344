from datetime import date

import pytest
from sqlalchemy import select

from intake.identity.models import IdentitySeal
from intake.identity.person import normalize_phone, real_name_problem, resident_id_is_valid
from intake.identity.sealing import (
    SealingUnavailable,
    open_with_custodian_password,
    open_with_recovery_key,
    seal_identity,
)
from portal.crypto import DecryptionError, generate_keypair
from tests.conftest import VALID_ID

TODAY = date(2026, 11, 22)


def seal_of(db, report):
    return db.scalar(select(IdentitySeal).where(IdentitySeal.report_id == report.id))


def test_resident_id_with_correct_checksum_is_valid():
    assert resident_id_is_valid(VALID_ID, TODAY)


def test_resident_id_with_lower_case_x_is_valid():
    assert resident_id_is_valid(VALID_ID.lower(), TODAY)


@pytest.mark.parametrize(
    "value",
    [
        "110105194912310021",  # wrong check character
        "11010519491231002",  # 17 characters
        "110105194913310029",  # month 13
        "11010520991231002X",  # born in the future
        "1101051949123100XX",
        "",
    ],
)
def test_resident_id_that_fails_a_rule_is_invalid(value):
    assert not resident_id_is_valid(value, TODAY)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("139 1234 5678", "13912345678"),
        ("+86 139-1234-5678", "13912345678"),
        ("0951-1234567", "09511234567"),
    ],
)
def test_phone_numbers_are_normalised(typed, stored):
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize("typed", ["12345", "23912345678", "139123456789", "phone"])
def test_invalid_phone_numbers_are_rejected(typed):
    assert normalize_phone(typed) is None


@pytest.mark.parametrize("name", ["王晓明", "买买提·艾力", "欧阳娜娜"])
def test_real_names_are_accepted(name):
    assert real_name_problem(name) is None


@pytest.mark.parametrize("name", ["王某", "匿名", "张先生", "李女士"])
def test_aliases_are_refused_for_real_name_reports(name):
    assert real_name_problem(name) == "alias"


@pytest.mark.parametrize("name", ["Wang", "王1", "王"])
def test_names_not_in_chinese_characters_are_refused(name):
    assert real_name_problem(name) == "format"


def test_identity_repr_reveals_nothing(identity):
    assert identity.name not in repr(identity) and identity.id_number not in repr(identity)


def test_sealing_without_a_recovery_key_is_refused(db, make_report, identity):
    report, _ = make_report()
    with pytest.raises(SealingUnavailable):
        seal_identity(db, report, identity)


def test_custodian_of_the_report_region_opens_with_password(
    db, make_report, make_custodian_user, recovery_private_key, identity
):
    key = make_custodian_user("640100", password="custodian password 1")
    report, _ = make_report("640104", identity=identity)
    seal = seal_of(db, report)
    assert open_with_custodian_password(db, seal, key, "custodian password 1") == identity


def test_custodian_of_an_ancestor_region_opens_with_password(
    db, make_report, make_custodian_user, recovery_private_key, identity
):
    key = make_custodian_user("640000", password="province custodian pw")
    report, _ = make_report("640104", identity=identity)
    seal = seal_of(db, report)
    assert (
        open_with_custodian_password(db, seal, key, "province custodian pw").id_number
        == identity.id_number
    )


def test_custodian_with_wrong_password_cannot_open(
    db, make_report, make_custodian_user, recovery_private_key, identity
):
    key = make_custodian_user("640000", password="province custodian pw")
    report, _ = make_report("640104", identity=identity)
    seal = seal_of(db, report)
    with pytest.raises(DecryptionError):
        open_with_custodian_password(db, seal, key, "wrong password here")


def test_custodian_of_another_province_cannot_open(
    db, make_report, make_custodian_user, recovery_private_key, identity
):
    key = make_custodian_user("340000", password="anhui custodian pw")
    report, _ = make_report("640104", identity=identity)
    seal = seal_of(db, report)
    with pytest.raises(DecryptionError):
        open_with_custodian_password(db, seal, key, "anhui custodian pw")


def test_custodian_of_a_sibling_county_cannot_open(
    db, make_report, make_custodian_user, recovery_private_key, identity
):
    key = make_custodian_user("640105", password="xixia custodian pw")
    report, _ = make_report("640104", identity=identity)
    seal = seal_of(db, report)
    with pytest.raises(DecryptionError):
        open_with_custodian_password(db, seal, key, "xixia custodian pw")


def test_recovery_key_opens_the_identity(db, make_report, recovery_private_key, identity):
    report, _ = make_report(identity=identity)
    seal = seal_of(db, report)
    assert open_with_recovery_key(seal, recovery_private_key) == identity


def test_another_private_key_cannot_open_the_identity(
    db, make_report, recovery_private_key, identity
):
    report, _ = make_report(identity=identity)
    seal = seal_of(db, report)
    _, stranger = generate_keypair()
    with pytest.raises(DecryptionError):
        open_with_recovery_key(seal, stranger)


def test_server_secrets_alone_cannot_open_the_identity(
    app, db, make_report, make_custodian_user, recovery_private_key, identity
):
    """Everything the server holds (config keys and every row) without a password or the offline key."""
    make_custodian_user("640000")
    report, _ = make_report(identity=identity)
    seal = seal_of(db, report)
    server_secrets = [app.config["DATA_KEY_BYTES"], app.config["SECRET_KEY"].encode()[:32]]
    for secret in server_secrets:
        with pytest.raises(DecryptionError):
            open_with_recovery_key(seal, secret)


def test_anonymous_report_has_no_sealed_identity(db, make_report, recovery_private_key):
    report, _ = make_report()
    assert seal_of(db, report) is None
