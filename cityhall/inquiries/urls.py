"""The inquiries' screens under /inquiries/ (財産照会): persons, institutions, batches, letters."""

from django.urls import path

from cityhall.inquiries.views import batches, institutions, letters, persons

app_name = "inquiries"
urlpatterns = [
    path("", persons.person_list_view, name="persons"),
    path("persons/<id:pk>/", persons.person_detail_view, name="person"),
    path("institutions/", institutions.institution_list, name="institutions"),
    path("institutions/new/", institutions.institution_new, name="institution_new"),
    path("institutions/<id:pk>/edit/", institutions.institution_edit, name="institution_edit"),
    path("institutions/<id:pk>/deactivate/", institutions.institution_deactivate, name="institution_deactivate"),
    path("batches/", batches.batch_list_view, name="batches"),
    path("batches/new/", batches.batch_new, name="batch_new"),
    path("batches/<id:pk>/", batches.batch_detail_view, name="batch"),
    path("batches/<id:pk>/letters/<id:letter_id>/", letters.letter_detail_view, name="letter"),
    path("batches/<id:pk>/letters/<id:letter_id>/pdf/", letters.letter_pdf, name="letter_pdf"),
    path("batches/<id:pk>/letters/<id:letter_id>/csv/", letters.letter_csv, name="letter_csv"),
    path("batches/<id:pk>/letters/<id:letter_id>/remind/", letters.letter_remind, name="letter_remind"),
    path(
        "batches/<id:pk>/letters/<id:letter_id>/reminders/<id:number>/pdf/", letters.reminder_pdf, name="reminder_pdf"
    ),
    path("overdue/", letters.overdue_list, name="overdue"),
]
