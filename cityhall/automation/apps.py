from django.apps import AppConfig


class AutomationConfig(AppConfig):
    """Imports that replace the robots' typing: JP PINT e-invoices, supplier CSV and Excel (請求書の取込)."""

    name = "cityhall.automation"
    label = "automation"
    verbose_name = "自動化（請求書の取込）"
