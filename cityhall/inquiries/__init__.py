"""Deposit inquiries (財産照会・預貯金等照会) about delinquent taxpayers, for the tax collection section only."""
