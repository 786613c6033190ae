"""In-app notifications (お知らせ).

Public API: ``services.notify`` (called after commit by the modules that
notify, e.g. the approval engine), ``services.mark_read``, and the selectors
``unread_count`` and ``recent``. The page is ``notifications:list``; the main
menu shows the unread count next to its entry.
"""
