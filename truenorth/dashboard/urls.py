from django.urls import path

from truenorth.dashboard import views

patterns = [
    path("", views.overview, name="overview"),
    path("overview.json", views.overview_json, name="overview_json"),
    path("alignment/", views.alignment, name="alignment"),
    path("alignment.json", views.alignment_json, name="alignment_json"),
    path("alignment.csv", views.alignment_csv, name="alignment_csv"),
]
