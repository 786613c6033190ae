"""The disposal's background tasks (廃棄・移管の非同期処理): thin, by id, calling one service each.

They live beside the services that queue them (as ``automation.services.tasks`` do), so no module
imports one that imports it.
"""

from __future__ import annotations

from django_tasks import task

from cityhall.documents.services.disposal_carry_out import delete_pending_files, disposal_list_carry_out


@task()
def carry_out_disposal_list(document_id: int) -> int:
    """Carry out a decided disposal/transfer list (廃棄・移管の実施); the number of records done."""
    return len(disposal_list_carry_out(document_id).done)


@task()
def delete_disposed_files() -> int:
    """Delete the stored files of disposed records an interrupted run left (削除待ちファイルの削除); daily."""
    return delete_pending_files().deleted
