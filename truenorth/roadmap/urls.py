from django.urls import path

from truenorth.roadmap import views

patterns = [
    path("roadmap/", views.roadmap, name="roadmap"),
    path("roadmap.csv", views.roadmap_csv, name="roadmap_csv"),
    path("roadmap/new/", views.edit_initiative, name="new_initiative"),
    path("roadmap/import/", views.import_roadmap, name="import_roadmap"),
    path("roadmap/overruns/", views.overrun_page, name="overruns"),
    path("roadmap/overruns.json", views.overrun_json, name="overruns_json"),
    path("roadmap/overruns.csv", views.overrun_csv, name="overruns_csv"),
    path("roadmap/<int:initiative_id>/", views.initiative, name="initiative"),
    path("roadmap/<int:initiative_id>/edit/", views.edit_initiative, name="edit_initiative"),
    path("roadmap/<int:initiative_id>/archive/", views.archive, name="archive_initiative"),
    path("roadmap/<int:initiative_id>/restore/", views.restore, name="restore_initiative"),
    path("archived/", views.archived, name="archived"),
    path(
        "roadmap/<int:initiative_id>/milestones/",
        views.edit_milestones,
        name="initiative_milestones",
    ),
]
