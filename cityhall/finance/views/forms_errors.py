"""Putting a service's error next to the right input of a form with lines (明細つきの入力のエラー表示)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from django import forms

from cityhall.core.errors import ApplicationError
from cityhall.core.http import apply_error

# A line's field as the payment services name it: "lines.2.amount" (明細2行目, counted from 1).
_LINE_FIELD = re.compile(r"^lines\.(\d+)\.(\w+)$")


def apply_order_error(head: forms.Form, line_forms: Sequence[forms.Form], error: ApplicationError) -> None:
    """Show the error at the line field it names, else at the head field, else at the top.

    ``line_forms`` are the filled rows in the order they were passed to the service.
    """
    match = _LINE_FIELD.match(error.field or "")
    if match is not None:
        position, name = int(match.group(1)), match.group(2)
        if 1 <= position <= len(line_forms) and name in line_forms[position - 1].fields:
            line_forms[position - 1].add_error(name, error.message)
            return
    apply_error(head, error)
