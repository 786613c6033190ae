"""Run pyHanko's synchronous API safely where an event loop may be running.

pyHanko's synchronous signing and validation call ``asyncio.run()``, which
refuses to start inside a thread that already runs an event loop (an ASGI
server, or a test driving a browser). There the call moves to a short-lived
worker thread that has no loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def call_without_running_loop(function: Callable[[], T]) -> T:
    """Call ``function`` here, or in a fresh thread if this thread runs an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function()
    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(function).result()
