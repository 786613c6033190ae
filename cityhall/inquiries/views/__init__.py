"""The inquiries' screens (財産照会の画面): thin views, one module per sub-domain, all behind ``collector_page``."""
