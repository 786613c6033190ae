"""適格請求書発行事業者登録番号: shape, normalisation and the 法人番号 check digit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cityhall.core.errors import ValidationFailed
from cityhall.finance.invoice_number import check_invoice_number, corporate_check_digit, validate_invoice_number

SAMPLES = Path("/work/shared/samples/einvoice")


@pytest.mark.parametrize(
    "number",
    [
        "T7000012050002",  # 国税庁 (the example in the domain brief)
        "T1180301018771",  # a listed company's published corporate number
    ],
)
def test_valid_corporate_numbers_pass(number):
    result = validate_invoice_number(number)
    assert (result.ok, result.warning, result.message, result.number) == (True, False, "", number)


def test_check_digit_formula_on_the_documented_example():
    assert corporate_check_digit("000012050002") == 7
    with pytest.raises(ValueError):
        corporate_check_digit("12345")


@pytest.mark.parametrize(
    "raw",
    ["t7000012050002", "Ｔ７００００１２０５０００２", " T7000-0120-50002 ", "ｔ7 0000 1205 0002"],
)
def test_input_is_normalised(raw):
    assert validate_invoice_number(raw).number == "T7000012050002"


@pytest.mark.parametrize(
    "raw", ["", "7000012050002", "T700001205000", "T70000120500021", "X7000012050002", "T70000120500O2"]
)
def test_wrong_shape_is_an_error_naming_the_field(raw):
    with pytest.raises(ValidationFailed) as caught:
        validate_invoice_number(raw, field="creditor_invoice_number")
    assert caught.value.field == "creditor_invoice_number"
    assert "登録番号" in caught.value.message


def test_single_digit_changes_are_caught_except_the_ones_the_formula_cannot_see():
    valid = "7000012050002"
    missed = []
    for index in range(13):
        for digit in "0123456789":
            if digit == valid[index]:
                continue
            changed = "T" + valid[:index] + digit + valid[index + 1 :]
            if check_invoice_number(changed).ok:
                missed.append((index, valid[index], digit))
    # Mod 9 cannot tell a 0 from a 9 in the body (9 and 18 are both 0 mod 9); nothing else slips through.
    assert missed == [(index, "0", "9") for index in range(1, 13) if valid[index] == "0"]


def test_corporate_failure_is_an_error_and_says_which_digit_is_expected():
    result = check_invoice_number("T8000012050002")
    assert not result.ok and not result.warning
    assert "チェックデジット" in result.message and "7" in result.message
    with pytest.raises(ValidationFailed):
        validate_invoice_number("T8000012050002")


def test_individual_failure_is_a_warning_not_an_error():
    result = validate_invoice_number("T8000012050002", individual=True)
    assert result.ok and result.warning
    assert "国税庁" in result.message
    assert validate_invoice_number("T7000012050002", individual=True).warning is False


# Registration numbers printed in the JP PINT sample invoices: placeholders, not real numbers.
PLACEHOLDERS = ["T1234567890123", "T3210987654321", "T7654321098765"]


@pytest.mark.parametrize("number", PLACEHOLDERS)
def test_sample_invoice_placeholder_numbers_are_flagged(number):
    assert not check_invoice_number(number).ok
    assert check_invoice_number(number, individual=True).warning


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="sample invoices not available on this machine")
def test_every_registration_number_in_the_sample_invoices_is_flagged():
    found = set()
    for path in SAMPLES.glob("*.xml"):
        found.update(re.findall(r"<cbc:CompanyID>>?(T\d{13})</cbc:CompanyID>", path.read_text(encoding="utf-8")))
    assert found == set(PLACEHOLDERS)
    assert all(not check_invoice_number(number).ok for number in found)
