"""Forms of the finance screens (財務会計の画面の入力), one module per sub-domain.

Forms only parse and check the shape of input (whole yen, required fields, line
counts); the services decide and their errors are put next to the field named.
"""
