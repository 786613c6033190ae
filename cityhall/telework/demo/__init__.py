"""The demo city's telework (テレワークのデモデータ): ``inventory`` (task inventory and survey answers),
``requests`` (requests in every state)."""

from cityhall.telework.demo.inventory import seed_telework
from cityhall.telework.demo.requests import seed_requests

__all__ = ["seed_requests", "seed_telework"]
