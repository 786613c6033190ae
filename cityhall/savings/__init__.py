"""The ledger of work the system does instead of staff (手入力の削減時間の台帳).

Every app that takes typing off staff (invoice imports, recurring payments, deposit inquiries)
records here, in the same transaction as its work, how many slips, letters or rows it produced for
which section and how many minutes typing them by hand would have taken (``services.saved_time_record``).
The hours-saved pages and the DX dashboard read the one ledger (``selectors.saved_time``), so the
city's figure is the sum of the same rows whichever page shows it. Apps name their kinds with a
label once at start-up (``kinds.register_kinds``); the ledger imports none of them.
"""
