"""Typed documents (文書の型): how finance, inquiries etc. plug into the approval engine.

An app registers its type once, from its ``AppConfig.ready``::

    register_type("finance.payment_order", "支出命令", on_decided=payment_decided, validate_submit=check_budget)

``validate_submit(document)`` runs inside the submit transaction and may raise
``ValidationFailed``; ``validate_decide(document)`` runs inside the deciding
transaction before the decision is recorded and may raise ``ValidationFailed``
too; ``apply_decision(document, actor)`` runs in the same transaction right after
the decision is recorded on the document (its status and decider), so the type's
own rows change with the decision or not at all (a 変更契約 sets its encumbrance's
amount); ``on_decided(document_id)`` runs after the deciding transaction commits.
``edit_url(document)`` names the type's own screen (the one that changes its kind
of matter and amount), or None when the document has no data there yet; the
edit screen (起案の修正) links to it.

``content(document, viewer)`` says what the document decides, as data
(``cityhall.documents.content.TypedContent``, never HTML), or None while it has no
data yet. It runs outside the engine's transactions, whenever the document page,
the inbox preview (受信箱のプレビュー) or the signed 起案用紙 is built, after the
caller checked that the document is visible; it only reads. ``viewer`` is the
person reading a screen (the type shows them what they may see, e.g. the record
link only when they may open it) or None for the signed sheet, the official
record (原議), which anyone who may see the document may download: the type
decides how much personal data it prints there (finance masks account numbers
as on every screen). ``content_viewed(document, user,
where)`` runs after a screen or a download handed that content to ``user``
(``where``: 「detail」「preview」「signed_pdf」), in the request: the type records
views of the personal data it showed there.

``rule_facts(document)`` tells the 事務決裁規程 what the type knows of the matter beyond its
kind and amount (``RuleFacts``: the budget 節 of a finance document), so rows limited to a 節
can apply. It runs inside the submit transaction before the route is planned, and outside any
transaction for the route preview; it only reads.

``visibility(user, day)`` is the type's one rule of who may see its documents
(閲覧できる者), as a ``Q`` over ``Document``; documents' selectors apply it in SQL
to these documents in place of their own rule, for the document pages, the API,
search and the inbox alike, so a typed document is visible through documents
exactly to those who may see it in its own app. It runs outside any transaction
and only reads. A type without it follows the documents rule. The engine imports
no typed-document app.

An app may instead name its types and the module that registers them, from ``ready``::

    register_lazily("cityhall.finance.services.payment_orders", "finance.payment_order")

The module is imported, and its ``register()`` called, the first time one of those types is
looked up (``get_type``, ``require_type``, ``registered_types``): a type's hooks live with its
services, which import much of its app, and start-up (every command, worker and test run) then
imports none of them. What a looked-up type does is the same either way.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

from cityhall.core.errors import ValidationFailed

if TYPE_CHECKING:
    from cityhall.accounts.models import User
    from cityhall.documents.content import TypedContent
    from cityhall.documents.models import Document

ContentHook = Callable[["Document", "User | None"], "TypedContent | None"]
ViewedHook = Callable[["Document", "User", str], None]
ApplyHook = Callable[["Document", "User"], None]
VisibilityHook = Callable[["User", dt.date], Q]


@dataclass(frozen=True)
class RuleFacts:
    """What a typed document knows that the 事務決裁規程 may choose a row by: the budget 節 (code, e.g. 「14」)."""

    budget_setsu: str = ""


FactsHook = Callable[["Document"], RuleFacts]


@dataclass(frozen=True)
class DocumentType:
    """A registered type of document and its hooks."""

    key: str
    label: str
    on_decided: Callable[[int], None] | None = None
    validate_submit: Callable[[Document], None] | None = None
    validate_decide: Callable[[Document], None] | None = None
    edit_url: Callable[[Document], str | None] | None = None
    content: ContentHook | None = None
    content_viewed: ViewedHook | None = None
    visibility: VisibilityHook | None = None
    apply_decision: ApplyHook | None = None
    rule_facts: FactsHook | None = None

    def url_for(self, document: Document) -> str | None:
        """The type's own screen for ``document`` (支出負担行為・支出命令などの画面), if it has one."""
        return self.edit_url(document) if self.edit_url is not None else None

    def content_for(self, document: Document, viewer: User | None) -> TypedContent | None:
        """What ``document`` decides, for ``viewer`` (None: the signed sheet), if the type describes it."""
        return self.content(document, viewer) if self.content is not None else None

    def facts_for(self, document: Document) -> RuleFacts:
        """What the 事務決裁規程 may choose a row by, beyond kind and amount (予算の節)."""
        return self.rule_facts(document) if self.rule_facts is not None else RuleFacts()

    def shown(self, document: Document, user: User, where: str) -> None:
        """Tell the type its content was shown to ``user`` (閲覧の記録)."""
        if self.content_viewed is not None:
            self.content_viewed(document, user, where)


_types: dict[str, DocumentType] = {}
_lazy: dict[str, str] = {}  # type key -> module whose register() registers it (register_lazily)
_loading = threading.RLock()  # one thread imports a module; another waits for its types


def register_type(
    key: str,
    label: str,
    *,
    on_decided: Callable[[int], None] | None = None,
    validate_submit: Callable[[Document], None] | None = None,
    validate_decide: Callable[[Document], None] | None = None,
    edit_url: Callable[[Document], str | None] | None = None,
    content: ContentHook | None = None,
    content_viewed: ViewedHook | None = None,
    visibility: VisibilityHook | None = None,
    apply_decision: ApplyHook | None = None,
    rule_facts: FactsHook | None = None,
) -> DocumentType:
    """Register a typed document (文書の型の登録); registering the same key again replaces it."""
    if not key or len(key) > 40:
        raise ValueError("document type key must be 1-40 characters")
    entry = DocumentType(
        key=key,
        label=label,
        on_decided=on_decided,
        validate_submit=validate_submit,
        validate_decide=validate_decide,
        edit_url=edit_url,
        content=content,
        content_viewed=content_viewed,
        visibility=visibility,
        apply_decision=apply_decision,
        rule_facts=rule_facts,
    )
    _types[key] = entry
    _lazy.pop(key, None)
    return entry


def register_lazily(module: str, *keys: str) -> None:
    """Register the types ``keys`` by the module whose ``register()`` registers them, imported on first use."""
    for key in keys:
        if key not in _types:
            _lazy[key] = module


def unregister_type(key: str) -> None:
    """Remove a registered type (for tests)."""
    _types.pop(key, None)
    _lazy.pop(key, None)


def _load(key: str) -> DocumentType | None:
    """The type ``key``, its module imported first when it was registered lazily and is not loaded yet."""
    if key in _lazy:
        with _loading:
            module = _lazy.get(key)
            if module is not None:
                import_module(module).register()
                if key in _lazy:
                    raise ImproperlyConfigured(f"{module}.register() did not register the document type {key!r}.")
    return _types.get(key)


def get_type(key: str) -> DocumentType | None:
    """The registered type for ``key``, or None for a plain document (一般文書)."""
    return _load(key) if key else None


def require_type(key: str) -> DocumentType | None:
    """Like ``get_type`` but an unknown non-empty key is a validation error."""
    if not key:
        return None
    entry = _load(key)
    if entry is None:
        raise ValidationFailed("不明な文書の型です。", field="doc_type")
    return entry


def registered_types() -> list[DocumentType]:
    """All registered types, by key (the lazily registered ones loaded first)."""
    for key in list(_lazy):
        _load(key)
    return [_types[k] for k in sorted(_types)]
