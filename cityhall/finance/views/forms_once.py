"""Submitting a finance form at most once (二重送信の防止), with the documents screens' one-time tokens."""

from __future__ import annotations

from django import forms
from django.http import QueryDict

from cityhall.documents.views._common import claim_form_token, new_form_token, remember_token_result, token_result


def with_fresh_token(form: forms.Form) -> forms.Form:
    """The bound form again with a new token, for showing it after an error (the old one is spent)."""
    data = QueryDict(mutable=True)
    data.update(form.data)
    data["form_token"] = new_form_token()
    form.data = data
    return form


def claim(form: forms.Form) -> tuple[bool, int | None]:
    """Claim the form's token: (True, None) the first time; (False, document id if known) on a repeat."""
    token = str(form.data.get("form_token", ""))
    if claim_form_token(token):
        return True, None
    return False, token_result(token)


def remember(form: forms.Form, document_id: int) -> None:
    """Remember which document the token's submission created (for a repeated submission)."""
    remember_token_result(str(form.data.get("form_token", "")), document_id)


__all__ = ["claim", "new_form_token", "remember", "with_fresh_token"]
