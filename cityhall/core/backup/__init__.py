"""Backup and restore of a whole city (バックアップと復元): database, stored files, certificates.

A backup is a directory: ``manifest.json`` (format, date, database vendor,
and the size and SHA-256 of every other file), the database copied by the
database's own tool (``database.sqlite3`` through SQLite's online backup API,
or ``database.dump`` from ``pg_dump --format=custom``), ``media/`` (every file
in the default storage: attachments, signed PDFs, 全銀 files) and ``certs/``
(the files the ``CITYHALL_SIGNING_*`` settings name: key, certificate, PKCS#12,
chain and trusted roots). Restore checks every SHA-256 first, refuses a
database that already holds tables unless forced, and puts each thing back:
the database with ``sqlite3.Connection.backup`` or ``pg_restore``, the files
through the storage, the certificates at the paths the settings name now.

The database tools (not ``dumpdata``) copy every row and sequence exactly as
stored, the audit chain's hashes and the append-only triggers included.
``core`` knows no other app: what is backed up is found from settings only.
"""
