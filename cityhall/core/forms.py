"""Form parts every app's screens share: the whole-yen field and submitting a form once.

A form that creates something carries a hidden one-time token (``form_token``):
the first submission claims it, a repeated one (double click, reload) finds it
spent and is sent to what the first created (二重送信の防止). Tokens live in the
shared cache, so they hold across several app servers.
"""

from __future__ import annotations

import secrets
from typing import Any, TypeVar

from django import forms
from django.core.cache import cache
from django.db import models
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from cityhall.core.errors import ValidationFailed
from cityhall.core.japanese.money import parse_yen
from cityhall.core.numbers import ID_MAX, ascii_integer, optional_id

TOKEN_FIELD = "form_token"  # noqa: S105  (a form field's name, not a secret)
TOKEN_TTL_SECONDS = 6 * 60 * 60
_TOKEN_KEY = "cityhall:form-token:{}"  # noqa: S105  (a cache key)

F = TypeVar("F", bound=forms.BaseForm)


class YenField(forms.CharField):
    """A whole-yen amount (金額, 円単位) read by ``parse_yen``: commas, 円 and full-width digits allowed.

    ``minimum`` is the smallest amount accepted (``None``: negative amounts too, as a 補正 may
    take budget away); the error names ``label_for_message`` as the services do.
    """

    def __init__(self, *, label_for_message: str = "金額", minimum: int | None = 1, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(**kwargs)
        self.label_for_message = label_for_message
        self.minimum = minimum

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = str(super().to_python(value) or "").strip()
        if not text:
            return None
        try:
            return parse_yen(text, label=self.label_for_message, minimum=self.minimum)
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.message, code="yen") from exc


class WholeNumberField(forms.IntegerField):
    """A whole number read by ``cityhall.core.numbers`` (ASCII digits after NFKC), 0 … 2⁶³−1 unless narrowed.

    Django's ``IntegerField`` reads any script's digits and numbers of any size; an id or version
    bigger than the database holds would overflow in the query instead of being refused here.
    """

    def __init__(self, *, min_value: int | None = 0, max_value: int | None = ID_MAX, **kwargs: Any) -> None:
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        number = ascii_integer(str(value))
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number


def _refuse_out_of_range(field: forms.ModelChoiceField, value: Any) -> None:
    """A key that is no id the database can hold is an invalid choice, not an overflow in the query."""
    if field.to_field_name is None and not isinstance(value, models.Model) and optional_id(str(value)) is None:
        raise forms.ValidationError(field.error_messages["invalid_choice"], code="invalid_choice")


CHOOSE = _("選んでください")
"""The empty choice of a select (Django's own is ``---------``)."""


class ModelChoice(forms.ModelChoiceField):
    """``ModelChoiceField`` that refuses keys outside 1 … 2⁶³−1 before querying (SQLite would overflow),
    with the project's empty choice 「選んでください」 (not Django's ``---------``) unless told otherwise."""

    def __init__(self, *args: Any, empty_label: Any = CHOOSE, **kwargs: Any) -> None:
        super().__init__(*args, empty_label=empty_label, **kwargs)

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values:
            _refuse_out_of_range(self, value)
        return super().to_python(value)


class ModelMultipleChoice(forms.ModelMultipleChoiceField):
    """``ModelMultipleChoiceField`` with the same range check for every key."""

    def _check_values(self, value: Any) -> Any:
        for key in value if isinstance(value, list | tuple) else []:
            _refuse_out_of_range(self, key)
        return super()._check_values(value)  # type: ignore[misc]  # private in the stubs, public behaviour in Django


def new_form_token() -> str:
    """A one-time token that makes a form submit at most once (二重送信の防止)."""
    return secrets.token_urlsafe(24)


def with_fresh_token(form: F) -> F:
    """The bound form again with a new token, for showing it after an error (the old one is spent)."""
    data = QueryDict(mutable=True)
    data.update(form.data)
    data[TOKEN_FIELD] = new_form_token()
    form.data = data
    return form


def claim(form: forms.BaseForm) -> tuple[bool, int | None]:
    """Claim the form's token: (True, None) the first time; (False, the id it created if known) on a repeat."""
    token = str(form.data.get(TOKEN_FIELD, ""))
    if token and cache.add(_TOKEN_KEY.format(token), 0, TOKEN_TTL_SECONDS):
        return True, None
    created = cache.get(_TOKEN_KEY.format(token)) if token else None
    return False, created or None


def remember(form: forms.BaseForm, created_id: int) -> None:
    """Remember what the token's submission created, so a repeated submission can be sent there."""
    token = str(form.data.get(TOKEN_FIELD, ""))
    if token:
        cache.set(_TOKEN_KEY.format(token), created_id, TOKEN_TTL_SECONDS)
