"""Automation instead of robots (自動化): payment orders in bulk from e-invoices, CSV and Excel."""
