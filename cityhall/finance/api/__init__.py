"""The finance API (財務会計 API): the same services and selectors as the screens."""

from ninja import Router

router = Router(tags=["finance"])
