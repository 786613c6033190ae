"""JP PINT e-invoices (Peppol BIS, UBL 2.1): safe parsing, reading and validation, without the database."""
