"""The REST API (django-ninja): one NinjaAPI; each app adds its router here."""

from ninja import NinjaAPI

api = NinjaAPI(title="cityhall API", version="1", urls_namespace="api")
