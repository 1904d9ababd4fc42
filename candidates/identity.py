"""Synthetic but valid ID card numbers for demo data and tests (GB 11643 check digit)."""

import datetime

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def check_digit(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def synthetic_id_number(area: str, birth_date: datetime.date, serial: int, male: bool) -> str:
    """An 18-character number for a person born on `birth_date` in the area `area` (6 digits).

    `serial` (0–499) picks the sequence code; its last digit is odd for men and even for women.
    """
    sequence = f"{(serial % 500) * 2 + (1 if male else 0):03d}"
    first17 = f"{area}{birth_date:%Y%m%d}{sequence}"
    return first17 + check_digit(first17)
