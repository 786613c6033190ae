"""Forms of the inquiries' screens (財産照会の入力): one module per sub-domain."""
