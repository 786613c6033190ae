"""Input and output schemas of the finance endpoints, one module per sub-domain.

Amounts are whole yen as JSON integers (``cityhall.core.http.Yen``): a decimal or a
string is a 422 with the usual Japanese message, before any service runs.
"""
