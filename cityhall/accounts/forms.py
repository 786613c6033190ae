"""Sign-in forms (ログイン・二要素認証の入力フォーム)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

INVALID_LOGIN_MESSAGE = _("ユーザー名またはパスワードが正しくありません。")


class LoginForm(AuthenticationForm):
    """Username and password (ログイン). The same message for an unknown user and a wrong password."""

    error_messages = {
        "invalid_login": INVALID_LOGIN_MESSAGE,
        "inactive": INVALID_LOGIN_MESSAGE,
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].label = _("ユーザー名")
        self.fields["username"].error_messages["required"] = _("ユーザー名を入力してください。")
        self.fields["password"].label = _("パスワード")
        self.fields["password"].error_messages["required"] = _("パスワードを入力してください。")

    @property
    def authentication_failed(self) -> bool:
        """True when a username and password were checked and refused (not merely left blank)."""
        return self.has_error(NON_FIELD_ERRORS, "invalid_login")


class TokenForm(forms.Form):
    """A six-digit code from the authenticator app, or a recovery code (確認コード)."""

    token = forms.CharField(
        label=_("確認コード"),
        max_length=32,
        error_messages={"required": _("確認コードを入力してください。")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class EnrolmentCodeForm(forms.Form):
    """The one-time enrolment code issued by IT (登録コード)."""

    code = forms.CharField(
        label=_("登録コード"),
        max_length=32,
        error_messages={"required": _("登録コードを入力してください。")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric", "autofocus": True}),
    )
