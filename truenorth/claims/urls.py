from django.urls import path

from truenorth.claims import views

patterns = [
    path("claims/", views.claims, name="claims"),
    path("claims/new/", views.new_claim, name="new_claim"),
    path("claims/<int:claim_id>/edit/", views.edit_claim, name="edit_claim"),
    path("claims/<int:claim_id>/delete/", views.delete_claim, name="delete_claim"),
    path("claims/import/", views.import_claims, name="import_claims"),
    path("claims/recheck/", views.recheck, name="recheck_claims"),
    path("claims/export.csv", views.export, name="export_claims"),
    path("claims/summary.json", views.summary_json, name="claims_summary_json"),
    path("claims/people/<int:person_id>/", views.person_claims, name="person_claims"),
    path("claims/accounts/<path:account>/", views.account_claims, name="account_claims"),
]
