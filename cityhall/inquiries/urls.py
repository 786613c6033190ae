"""The inquiries' screens under /inquiries/ (財産照会): persons and imports, institutions, batches, letters, answers."""

from django.urls import path

from cityhall.inquiries.views import answers, batches, institutions, letters, person_imports, persons

app_name = "inquiries"
urlpatterns = [
    path("", persons.person_list_view, name="persons"),
    path("persons/<id:pk>/", persons.person_detail_view, name="person"),
    path("imports/", person_imports.person_import_upload, name="person_imports"),
    path("imports/layout/", person_imports.person_import_layout, name="person_import_layout"),
    path("imports/<id:pk>/", person_imports.person_import_detail, name="person_import"),
    path("institutions/", institutions.institution_list, name="institutions"),
    path("institutions/new/", institutions.institution_new, name="institution_new"),
    path("institutions/<id:pk>/edit/", institutions.institution_edit, name="institution_edit"),
    path("institutions/<id:pk>/deactivate/", institutions.institution_deactivate, name="institution_deactivate"),
    path("batches/", batches.batch_list_view, name="batches"),
    path("batches/new/", batches.batch_new, name="batch_new"),
    path("batches/<id:pk>/", batches.batch_detail_view, name="batch"),
    path("batches/<id:pk>/answers/", answers.answers_view, name="answers"),
    path("batches/<id:pk>/answers/import/", answers.answer_import_view, name="answer_import"),
    path("batches/<id:pk>/seizure/", answers.seizure_view, name="seizure"),
    path("batches/<id:pk>/seizure.xlsx", answers.seizure_xlsx_view, name="seizure_xlsx"),
    path("letters/<id:pk>/answers/new/", answers.answer_manual_view, name="answer_manual"),
    path("answers/<id:pk>/decide/", answers.answer_decide_view, name="answer_decide"),
    path("institutions/<id:pk>/answer-layout/", answers.answer_layout_view, name="answer_layout"),
    path("batches/<id:pk>/letters/<id:letter_id>/", letters.letter_detail_view, name="letter"),
    path("batches/<id:pk>/letters/<id:letter_id>/pdf/", letters.letter_pdf, name="letter_pdf"),
    path("batches/<id:pk>/letters/<id:letter_id>/csv/", letters.letter_csv, name="letter_csv"),
    path("batches/<id:pk>/letters/<id:letter_id>/remind/", letters.letter_remind, name="letter_remind"),
    path(
        "batches/<id:pk>/letters/<id:letter_id>/reminders/<id:number>/pdf/", letters.reminder_pdf, name="reminder_pdf"
    ),
    path("overdue/", letters.overdue_list, name="overdue"),
]
