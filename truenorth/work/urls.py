from django.urls import path

from truenorth.work import views

patterns = [
    path("work/", views.work_items, name="work_items"),
    path("work.csv", views.work_items_csv, name="work_items_csv"),
    path("work/<int:item_id>/", views.work_item, name="work_item"),
    path("work/<int:item_id>.json", views.work_item_json, name="work_item_json"),
    path("work/link/", views.link_ticked, name="link_work_items"),
    path("work/import/", views.import_items, name="work_import"),
    path("work/import/<int:run_id>/", views.import_run, name="work_import_run"),
    path("work/import/<int:run_id>.json", views.import_run_json, name="work_import_run_json"),
    path("work/mappings/", views.mappings, name="work_mappings"),
    path("work/mappings/new/", views.add_mapping, name="add_work_mapping"),
    path(
        "work/mappings/<int:mapping_id>/delete/", views.delete_mapping, name="delete_work_mapping"
    ),
    path("work/suggestions/", views.suggestions, name="work_suggestions"),
    path("work/suggestions/decide/", views.decide, name="decide_suggestions"),
    path("work/suggestions/refresh/", views.refresh_suggestions, name="refresh_suggestions"),
    path("work/orphans/", views.orphans, name="orphans"),
    path("work/orphans.json", views.orphans_json, name="orphans_json"),
    path("work/orphans.csv", views.orphans_csv, name="orphans_csv"),
]
