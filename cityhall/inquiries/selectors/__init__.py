"""Reads of the inquiries (財産照会の参照), each through the caller's scope (``access.scope_of``), filtered in SQL."""
