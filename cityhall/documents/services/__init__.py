"""Write services of documents and e-approval (文書・電子決裁のサービス).

Every public service takes a keyword-only ``actor`` (the signed-in user),
runs in its own ``transaction.atomic(durable=True)``, locks the document row,
checks permission and the ``expected_version`` the actor saw (stale →
``Conflict``), writes an audit entry and runs side effects on commit.
Errors are ``cityhall.core.errors`` exceptions with Japanese messages.
"""

from cityhall.documents.services.actions import (
    BulkResult,
    agree,
    approve,
    bulk_approve,
    comment_add,
    object_to,
    post_review_complete,
    reject,
    send_back,
)
from cityhall.documents.services.delegation import (
    delegation_rule_add,
    delegation_rule_cancel,
    delegation_rule_change,
    delegation_rule_end,
)
from cityhall.documents.services.drafting import (
    EDITABLE_FIELDS,
    attachment_add,
    attachment_remove,
    draft_create,
    draft_update,
    new_draft_attachment_check,
    saved_route_create,
    saved_route_delete,
)
from cityhall.documents.services.file_plan import (
    check_in_force,
    file_plan_class_create,
    file_plan_class_end,
    file_plan_class_update,
)
from cityhall.documents.services.lifecycle import (
    FORMAL_ADDITION_FIELDS,
    close,
    expiry_date,
    formal_addition,
    issue,
    retention_extend,
)
from cityhall.documents.services.paper import paper_decision_register
from cityhall.documents.services.paper_records import paper_records_insert, require_document_manager
from cityhall.documents.services.personal_info import personal_info_access_record
from cityhall.documents.services.receipt_cancel import receipt_cancel
from cityhall.documents.services.receipt_closing import receipt_close
from cityhall.documents.services.receipts import (
    NewFile,
    receipt_access_record,
    receipt_circulate,
    receipt_file_add,
    receipt_file_remove,
    receipt_insert,
    receipt_mark_seen,
    receipt_register,
)
from cityhall.documents.services.routing import pull_back, resubmit, skip_absent, submit, withdraw
from cityhall.documents.services.storage import (
    loan_return,
    may_keep,
    record_lend,
    record_store,
    storage_box_create,
    storeroom_create,
)

__all__ = [
    "EDITABLE_FIELDS",
    "FORMAL_ADDITION_FIELDS",
    "BulkResult",
    "NewFile",
    "agree",
    "approve",
    "attachment_add",
    "attachment_remove",
    "bulk_approve",
    "check_in_force",
    "close",
    "comment_add",
    "delegation_rule_add",
    "delegation_rule_cancel",
    "delegation_rule_change",
    "delegation_rule_end",
    "draft_create",
    "draft_update",
    "expiry_date",
    "file_plan_class_create",
    "file_plan_class_end",
    "file_plan_class_update",
    "formal_addition",
    "issue",
    "loan_return",
    "may_keep",
    "new_draft_attachment_check",
    "object_to",
    "paper_decision_register",
    "paper_records_insert",
    "personal_info_access_record",
    "post_review_complete",
    "pull_back",
    "receipt_access_record",
    "receipt_cancel",
    "receipt_circulate",
    "receipt_close",
    "receipt_file_add",
    "receipt_file_remove",
    "receipt_insert",
    "receipt_mark_seen",
    "receipt_register",
    "record_lend",
    "record_store",
    "reject",
    "require_document_manager",
    "resubmit",
    "retention_extend",
    "saved_route_create",
    "saved_route_delete",
    "send_back",
    "skip_absent",
    "storage_box_create",
    "storeroom_create",
    "submit",
    "withdraw",
]
