"""The telework app's screens by sub-domain: ``policy`` (/telework/policy/)."""
