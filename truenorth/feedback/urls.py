from django.urls import path

from truenorth.feedback import import_views, theme_views, views

patterns = [
    path("feedback/", views.feedback, name="feedback"),
    path("feedback.json", views.feedback_json, name="feedback_json"),
    path("feedback.csv", views.feedback_csv, name="feedback_csv"),
    path("feedback/themes/", theme_views.themes, name="feedback_themes"),
    path("feedback/themes.json", theme_views.themes_json, name="feedback_themes_json"),
    path("feedback/themes.csv", theme_views.themes_csv, name="feedback_themes_csv"),
    path("feedback/themes/decide/", theme_views.decide, name="feedback_theme_decide"),
    path("feedback/themes/value/", theme_views.confirm_kind_of_value, name="feedback_value"),
    path("feedback/import/", import_views.import_page, name="import_feedback"),
    path("feedback/new/", views.new_feedback, name="new_feedback"),
    path("feedback/<int:feedback_id>/", views.feedback_item, name="feedback_item"),
    path("feedback/<int:feedback_id>/edit/", views.edit_feedback, name="edit_feedback"),
    path("feedback/<int:feedback_id>/delete/", views.delete_feedback, name="delete_feedback"),
    path("feedback/<int:feedback_id>/link/", views.link_feedback, name="link_feedback"),
]
