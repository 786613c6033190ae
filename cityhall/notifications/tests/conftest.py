"""The documents tests' small city (みどり野市), reused to drive real approvals."""

from cityhall.documents.tests.conftest import city, draft, submitted

__all__ = ["city", "draft", "submitted"]
