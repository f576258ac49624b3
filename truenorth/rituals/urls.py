from django.urls import path

from truenorth.rituals import views

RITUAL = "rituals/<int:ritual_number>"
OCCURRENCE = f"{RITUAL}/<str:day>"

patterns = [
    path("rituals/", views.ritual_list, name="rituals"),
    path("rituals.json", views.list_json, name="rituals_json"),
    path("rituals/new/", views.new_ritual, name="new_ritual"),
    path("rituals/calendar/", views.calendar_page, name="ritual_calendar"),
    path("rituals/calendar/new/", views.new_feed, name="new_calendar_feed"),
    path("rituals/calendar/<int:feed_id>/revoke/", views.revoke_feed, name="revoke_calendar_feed"),
    path(f"{RITUAL}/", views.ritual_page, name="ritual"),
    path(f"{RITUAL}.json", views.ritual_json, name="ritual_json"),
    path(f"{RITUAL}/edit/", views.edit_ritual, name="edit_ritual"),
    path(f"{RITUAL}/end/", views.end, name="end_ritual"),
    path(f"{OCCURRENCE}/", views.occurrence_page, name="ritual_occurrence"),
    path(f"{OCCURRENCE}.json", views.occurrence_json, name="ritual_occurrence_json"),
    path(f"{OCCURRENCE}/notes/", views.save_notes, name="ritual_notes"),
    path(f"{OCCURRENCE}/decision/", views.add_decision, name="ritual_decision"),
    path(f"{OCCURRENCE}/skip/", views.skip, name="skip_ritual"),
    path(f"{OCCURRENCE}/summary/", views.send_summary, name="send_ritual_summary"),
    path(f"{OCCURRENCE}/worth-it/", views.rate, name="rate_ritual"),
]
