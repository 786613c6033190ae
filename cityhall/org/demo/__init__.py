"""The demo city (デモ市): a deterministic, realistic organisation for trying the system.

``build_plan`` computes the whole city in memory from a seeded random
generator (same arguments, same city); ``apply_plan`` writes it in one
transaction. ``manage.py seed_demo`` and ``manage.py demo_accounts`` use them.
"""

from cityhall.org.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from cityhall.org.demo.apply import apply_plan
from cityhall.org.demo.plan import CityPlan, build_plan

__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "CityPlan", "apply_plan", "build_plan"]
