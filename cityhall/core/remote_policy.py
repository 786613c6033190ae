"""The remote-access policy's decision (リモートアクセスの方針): what a remote session may see of each data class.

The one function every page, download and API call asks is :func:`remote_mode`. In the office
(``core.network``'s classification, 庁内) everything is ``SEE``: the policy governs remote sessions
(庁外) only. For a remote session the answer comes from the providers registered at start-up (the
``telework`` app registers the policy IT configures on its screen, per data class and role); with
no provider, or none that answers, the built-in ``DEFAULTS`` hold: personal data and 秘 are shown
only as a rendered, watermarked view, never as the original file.

The apps that hold such data import only this module (core), never the app that configures the
policy: documents (attachments and the signed PDF), finance (payee accounts) and inquiries (its
``access.viewing_mode``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from cityhall.core.context import current_access
from cityhall.core.network import AccessContext


class DataClass(models.TextChoices):
    """The classes of data the policy decides on (データの区分)."""

    PERSONAL = "personal", _("個人情報を含む文書")
    SECRET = "secret", _("秘文書")
    INQUIRY = "inquiry", _("財産照会の情報")
    PAYEE_ACCOUNT = "payee_account", _("支払先の口座番号")
    ATTACHMENT = "attachment", _("添付ファイル（一般）")
    POLICY = "policy", _("リモートアクセスの方針の画面")


class Mode(models.TextChoices):
    """What a remote session may do with a data class (表示の方法)."""

    SEE = "see", _("表示する")
    MASKED = "masked", _("マスクして表示")
    NONE = "none", _("表示しない")


DEFAULTS: dict[str, Mode] = {
    DataClass.PERSONAL: Mode.MASKED,
    DataClass.SECRET: Mode.MASKED,
    DataClass.INQUIRY: Mode.NONE,
    DataClass.PAYEE_ACCOUNT: Mode.MASKED,
    DataClass.ATTACHMENT: Mode.SEE,
    DataClass.POLICY: Mode.SEE,
}
"""The built-in policy (既定): personal data and 秘 rendered with a watermark, never downloaded."""

ALLOWED: dict[str, tuple[Mode, ...]] = {
    DataClass.PERSONAL: (Mode.SEE, Mode.MASKED, Mode.NONE),
    DataClass.SECRET: (Mode.SEE, Mode.MASKED, Mode.NONE),
    # 地方税法第22条: the inquiry screens have no masked view yet, so remote sessions see nothing.
    DataClass.INQUIRY: (Mode.NONE,),
    DataClass.PAYEE_ACCOUNT: (Mode.SEE, Mode.MASKED, Mode.NONE),
    DataClass.ATTACHMENT: (Mode.SEE, Mode.MASKED, Mode.NONE),
    DataClass.POLICY: (Mode.SEE, Mode.NONE),
}
"""The modes each class may be given: what the screens that show it can honour."""

_RANK = {Mode.NONE: 0, Mode.MASKED: 1, Mode.SEE: 2}

Provider = Callable[[Any, DataClass], Mode | None]
_providers: list[Provider] = []


def register_provider(provider: Provider) -> None:
    """Register ``provider(user, data_class) -> Mode | None`` (the configured policy); called from ``ready()``."""
    if provider not in _providers:
        _providers.append(provider)


def unregister_provider(provider: Provider) -> None:
    """Remove a provider (tests of the built-in default)."""
    if provider in _providers:
        _providers.remove(provider)


def strictest(modes: Iterable[Mode]) -> Mode:
    """The most restrictive of ``modes`` (NONE before MASKED before SEE); SEE for none."""
    return min(modes, key=_RANK.__getitem__, default=Mode.SEE)


def widest(modes: Iterable[Mode]) -> Mode | None:
    """The most permissive of ``modes``; None for none."""
    return max(modes, key=_RANK.__getitem__, default=None)


def remote_mode(user: Any, data_class: DataClass, access: AccessContext | None = None) -> Mode:
    """How ``user`` may see ``data_class`` from where the request comes: SEE in the office, the policy outside."""
    where = access or current_access()
    if where.is_office:
        return Mode.SEE
    return policy_mode(user, data_class)


def policy_mode(user: Any, data_class: DataClass) -> Mode:
    """What the policy gives ``user`` for ``data_class`` in a remote session (the providers, else ``DEFAULTS``)."""
    for provider in _providers:
        mode = provider(user, data_class)
        if mode is not None:
            return mode if mode in ALLOWED[data_class] else DEFAULTS[data_class]
    return DEFAULTS[data_class]


def remote_mode_of(user: Any, classes: Iterable[DataClass], access: AccessContext | None = None) -> Mode:
    """The strictest mode over several classes (a document both 個人情報あり and 秘)."""
    return strictest(remote_mode(user, data_class, access) for data_class in classes)


def classification_labels(classes: Iterable[DataClass]) -> list[str]:
    """The classes as the audit trail records them (Japanese, as stored data)."""
    names = {
        DataClass.PERSONAL: "個人情報",
        DataClass.SECRET: "秘",
        DataClass.INQUIRY: "財産照会",
        DataClass.PAYEE_ACCOUNT: "支払先口座",
        DataClass.ATTACHMENT: "添付ファイル",
        DataClass.POLICY: "方針の画面",
    }
    return [names[c] for c in classes]
