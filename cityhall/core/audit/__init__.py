"""The audit trail (監査ログ): an append-only, hash-chained log of every write.

Public API: ``record`` appends an entry inside the caller's transaction (``record_many`` one
per object of a bulk load, in one go);
``verify_chain`` checks the whole chain. Entries are never updated or deleted.
"""

from cityhall.core.audit.chain import record, record_many, snapshot
from cityhall.core.audit.verify import VerifyResult, verify_chain

__all__ = ["VerifyResult", "record", "record_many", "snapshot", "verify_chain"]
