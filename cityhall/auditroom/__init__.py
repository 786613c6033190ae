"""The audit room (監査室): the audit trail for the 監査 and 情報政策 roles, read only."""
