"""The telework app's forms by sub-domain: ``policy``."""
