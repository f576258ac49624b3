from django.urls import path

from truenorth.decisions import backbrief_views, views

patterns = [
    path("decisions/", views.decision_log, name="decisions"),
    path("decisions.json", views.log_json, name="decisions_json"),
    path("decisions.md", views.log_markdown, name="decisions_markdown"),
    path("decisions.csv", views.log_csv, name="decisions_csv"),
    path("decisions/new/", views.edit_decision, name="new_decision"),
    path("decisions/speed/", views.speed_page, name="decision_speed"),
    path("decisions/speed.json", views.speed_json, name="decision_speed_json"),
    path("decisions/<int:number>/", views.decision_page, name="decision"),
    path("decisions/<int:number>.json", views.decision_json, name="decision_json"),
    path("decisions/<int:number>.md", views.decision_markdown, name="decision_markdown"),
    path("decisions/<int:number>/edit/", views.edit_decision, name="edit_decision"),
    path("decisions/<int:number>/decide/", views.decide, name="decide_decision"),
    path("decisions/<int:number>/supersede/", views.supersede, name="supersede_decision"),
    path("decisions/<int:number>/reverse/", views.reverse, name="reverse_decision"),
    path("decisions/<int:number>/delete/", views.delete, name="delete_decision"),
    path("decisions/<int:number>/comments/", views.comment, name="comment_decision"),
    path(
        "decisions/<int:number>/back-brief/",
        backbrief_views.send_back_brief,
        name="back_brief_decision",
    ),
    path(
        "decisions/<int:number>/comments/<int:comment>/kind/",
        views.comment_kind,
        name="comment_kind",
    ),
]
