"""Writes of the inquiries (財産照会の登録・変更): one module per sub-domain, each service with its actor.

Every public service runs in one durable transaction, checks the actor's scope
(``cityhall.inquiries.access.scope_of``: the 徴税 role, their sections, in the office), locks what it
decides on and appends its audit entry in the same transaction.
"""
