"""REST API of telework (テレワーク API), mounted at /api/telework: one router per sub-domain."""

from ninja import Router

from cityhall.telework.api import inventory, policy, requests, survey

router = Router()
router.add_router("", policy.router)
router.add_router("", requests.router)
router.add_router("", inventory.router)
router.add_router("", survey.router)
