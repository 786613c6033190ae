"""What a payment order was drafted from (支出命令の根拠書類), as links that other apps provide.

A payment order's page and the accounting manager's review queue (会計管理者審査) show the records
an order was made from, such as the stored original of an imported invoice. finance imports no app
that drafts orders through it (``automation`` imports finance, never the reverse; the contracts in
``pyproject.toml`` hold that), so such an app registers a provider here, once, from its
``AppConfig.ready()``::

    register_source(provider)

``provider(user, order_ids)`` returns ``{order_id: [SourceLink, ...]}``. finance calls it from its
screens for orders the user already may see (finance's selectors chose them), outside any
transaction, to read only; the provider returns only links the user may open by its own rule and
reads them in one query for all the orders, not one per order. A label is text as shown: data as
entered, its fixed words wrapped for translation by the provider.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from cityhall.accounts.models import User

__all__ = ["SourceLink", "SourceProvider", "order_sources", "register_source"]


@dataclass(frozen=True)
class SourceLink:
    """One record an order was drafted from: what to call it and where it opens."""

    label: str
    url: str


SourceProvider = Callable[[User, Sequence[int]], Mapping[int, Sequence[SourceLink]]]
_PROVIDERS: list[SourceProvider] = []


def register_source(provider: SourceProvider) -> None:
    """Add a provider of orders' source links (根拠書類); registering the same one again does nothing."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def order_sources(user: User, order_ids: Sequence[int]) -> dict[int, list[SourceLink]]:
    """The source links of each order the user sees, from every provider in the order they registered."""
    found: dict[int, list[SourceLink]] = {}
    if not order_ids:
        return found
    for provider in _PROVIDERS:
        for order_id, links in provider(user, order_ids).items():
            found.setdefault(order_id, []).extend(links)
    return found
