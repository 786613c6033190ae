"""Read-side of financial accounting (財務会計の参照), one module per sub-domain.

Every selector that lists rows takes the requesting user and filters in SQL by
the sections they may see (``budget.visible_sections``): one rule for lines,
encumbrances, payment orders, the review and the reports. What a user may not
see raises ``PermissionDenied``, like a missing row.
"""
