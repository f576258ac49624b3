from django.urls import path

from truenorth.glossary import views

patterns = [
    path("glossary/", views.glossary, name="glossary"),
    path("glossary.json", views.glossary_json, name="glossary_json"),
    path("glossary.csv", views.glossary_csv, name="glossary_csv"),
    path("glossary/new/", views.edit_term, name="new_term"),
    path("glossary/<int:term_id>/", views.term, name="term"),
    path("glossary/<int:term_id>.json", views.term_json_view, name="term_json"),
    path("glossary/<int:term_id>/edit/", views.edit_term, name="edit_term"),
    path("glossary/<int:term_id>/define/", views.define_term, name="define_term"),
    path("glossary/<int:term_id>/ask/", views.ask, name="ask_term"),
    path("glossary/<int:term_id>/archive/", views.archive, name="archive_term"),
    path("glossary/<int:term_id>/restore/", views.restore, name="restore_term"),
    path("glossary/<int:term_id>/delete/", views.delete, name="delete_term"),
]
