"""Screens of financial accounting (財務会計の画面); each module lists its own ``urlpatterns``."""
