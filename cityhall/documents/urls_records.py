"""URLs of the records-management screens (文書の保存・文書分類表・書庫・借覧), in the ``documents`` namespace."""

from django.urls import path

from cityhall.documents.views import file_plan, records, storage

urlpatterns = [
    path("paper-decisions/new/", records.paper_decision_new, name="paper_decision_new"),
    path("<id:pk>/retention/", records.retention, name="retention"),
    path("<id:pk>/formal-additions/", records.formal_additions, name="formal_additions"),
    path("file-plan/", file_plan.file_plan, name="file_plan"),
    path("file-plan/new/", file_plan.file_plan_new, name="file_plan_new"),
    path("file-plan/<id:pk>/edit/", file_plan.file_plan_edit, name="file_plan_edit"),
    path("file-plan/<id:pk>/end/", file_plan.file_plan_end, name="file_plan_end"),
    path("storage/", storage.storage, name="storage"),
    path("storage/storerooms/new/", storage.storeroom_new, name="storeroom_new"),
    path("storage/boxes/new/", storage.storage_box_new, name="storage_box_new"),
    path("storage/boxes/<id:pk>/", storage.storage_box, name="storage_box"),
    path("loans/", storage.loans, name="loans"),
    path("loans/<id:pk>/return/", storage.loan_return, name="loan_return"),
    path("<id:pk>/storage/", storage.record_storage, name="record_storage"),
    path("<id:pk>/storage/store/", storage.record_store, name="record_store"),
    path("<id:pk>/storage/lend/", storage.record_lend, name="record_lend"),
]
