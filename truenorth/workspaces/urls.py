from django.urls import path

from truenorth.workspaces import people_views as views

patterns = [
    path("people/", views.people, name="people"),
    path("people.json", views.people_json, name="people_json"),
    path("people.csv", views.people_csv, name="people_csv"),
    path("people/new/", views.edit_person, name="new_person"),
    path("people/import/", views.import_people_page, name="import_people"),
    path("people/<int:person_id>/edit/", views.edit_person, name="edit_person"),
    path("people/<int:person_id>/active/", views.set_active, name="set_person_active"),
    path("people/<int:person_id>/erase/", views.erase_person, name="erase_person"),
    path("teams/", views.teams, name="teams"),
    path("teams.csv", views.teams_csv, name="teams_csv"),
    path("teams/new/", views.new_team, name="new_team"),
    path("teams/<int:team_id>/edit/", views.edit_team, name="edit_team"),
    path("teams/<int:team_id>/archive/", views.archive_team, name="archive_team"),
]
