"""Notifications to people (お知らせ and e-mail).

Public API: ``services.notify`` (called after commit by the modules that
notify, e.g. the approval engine), ``services.mark_read``, the selectors
``unread_count`` and ``recent``, and the task ``tasks.email_users`` (enqueued
after commit with user ids and the text to send). The page is
``notifications:list``; the main menu shows the unread count next to its entry
(declared in ``menu.py``).
"""
