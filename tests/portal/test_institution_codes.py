"""National institution codes: shape, an existing region, registered within the institution's region."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from portal.institutions.codes import InstitutionError, code_fits_region, region_of_code
from portal.jurisdictions.models import get_region_by_code


def test_a_well_formed_code_names_its_region(db: Session) -> None:
    assert region_of_code(db, "H64010400012").code == "640104"


def test_a_pharmacy_code_starts_with_p(db: Session) -> None:
    assert region_of_code(db, "P64010600003").code == "640106"


@pytest.mark.parametrize(
    "code",
    [
        "X64010400012",  # neither H nor P
        "h64010400012",  # kept as given: the letter must be a capital
        "H6401040001",  # 11 characters
        "H640104000123",  # 13 characters
        "H64010A00012",  # a letter in the region part
        " H64010400012",  # spaces are not part of a code
        "",
    ],
)
def test_a_malformed_code_is_refused(db: Session, code: str) -> None:
    with pytest.raises(InstitutionError, match="institution_code_shape"):
        region_of_code(db, code)


def test_a_code_whose_region_is_not_in_the_tree_is_refused(db: Session) -> None:
    with pytest.raises(InstitutionError) as refused:
        region_of_code(db, "H99999900012")
    assert refused.value.code == "institution_code_region"
    assert refused.value.params["region"] == "999999"


@pytest.mark.parametrize(
    ("code", "region", "fits"),
    [
        ("H64010400012", "640104", True),  # the same county
        ("H64010400012", "640100", True),  # a county of the chosen city
        ("H64010400012", "640000", True),  # and of the province
        ("H64010000012", "640104", False),  # registered by the city, supervised by a county
        ("H64010600012", "640104", False),  # another county
        ("H11010100012", "640000", False),  # another province
    ],
)
def test_the_code_must_be_registered_within_the_institutions_region(
    db: Session, code: str, region: str, fits: bool
) -> None:
    assert code_fits_region(region_of_code(db, code), get_region_by_code(db, region)) is fits
