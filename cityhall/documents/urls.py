"""URLs of the documents screens (namespace ``documents``)."""

from django.urls import path

from cityhall.documents.views import (
    actions,
    attachments,
    detail,
    disposal,
    drafting,
    files,
    inbox,
    receipts,
    saved_routes,
    search,
)

app_name = "documents"
urlpatterns = [
    path("", inbox.inbox_view, name="inbox"),
    path("bulk-approve/", inbox.bulk_approve_view, name="bulk_approve"),
    path("new/", drafting.draft_new, name="new"),
    path("route-preview/", drafting.route_preview, name="route_preview"),
    path("search/", search.search, name="search"),
    path("register/", search.register, name="register"),
    path("receipts/", receipts.receipt_list, name="receipts"),
    path("receipts/new/", receipts.receipt_new, name="receipt_new"),
    path("receipts/<id:pk>/", receipts.receipt_detail, name="receipt"),
    path("receipts/<id:pk>/circulate/", receipts.receipt_circulate, name="receipt_circulate"),
    path("disposal/", disposal.disposal_lists, name="disposal_lists"),
    path("disposal/new/", disposal.disposal_list_new, name="disposal_list_new"),
    path("disposal/<id:pk>/", disposal.disposal_list, name="disposal_list"),
    path("disposal/<id:pk>/choose/", disposal.disposal_list_choose, name="disposal_list_choose"),
    path("disposal/<id:pk>/submit/", disposal.disposal_list_submit, name="disposal_list_submit"),
    path("disposal/<id:pk>/package.zip", disposal.disposal_list_package, name="disposal_list_package"),
    path("saved-routes/", saved_routes.saved_route_list, name="saved_routes"),
    path("saved-routes/<id:pk>/delete/", saved_routes.saved_route_delete, name="saved_route_delete"),
    path("<id:pk>/", detail.detail, name="detail"),
    path("<id:pk>/preview/", detail.preview, name="preview"),
    path("<id:pk>/edit/", drafting.draft_edit, name="edit"),
    path("<id:pk>/submit/", actions.submit, name="submit"),
    path("<id:pk>/actions/<slug:action>/", actions.act, name="act"),
    path("<id:pk>/signed.pdf", files.signed_pdf, name="signed_pdf"),
    path("<id:pk>/signed/view/", files.signed_pdf_view, name="signed_pdf_view"),
    path("<id:pk>/attachments/", attachments.attachment_add, name="attachment_add"),
    path("<id:pk>/attachments/<id:attachment_id>/", files.attachment_download, name="attachment"),
    path("<id:pk>/attachments/<id:attachment_id>/view/", files.attachment_view, name="attachment_view"),
    path("<id:pk>/attachments/<id:attachment_id>/rendered/", files.attachment_rendered, name="attachment_rendered"),
    path("<id:pk>/attachments/<id:attachment_id>/remove/", attachments.attachment_remove, name="attachment_remove"),
]
