from django.urls import path

from truenorth.updates import views

VERSION = "updates/<int:update_number>/<str:audience>"

patterns = [
    path("updates/", views.update_list, name="updates"),
    path("updates.json", views.list_json, name="updates_json"),
    path("updates/new/", views.new_update, name="new_update"),
    path("updates/<int:update_number>/", views.update_page, name="update"),
    path("updates/<int:update_number>.json", views.update_json, name="update_json"),
    path("updates/<int:update_number>/texts/", views.save_texts, name="update_texts"),
    path("updates/<int:update_number>/gather/", views.gather_again, name="gather_update"),
    path("updates/<int:update_number>/publish/", views.publish, name="publish_update"),
    path("updates/<int:update_number>/send/", views.send, name="send_update"),
    path("updates/<int:update_number>/delete/", views.delete_draft, name="delete_update"),
    path(
        "updates/<int:update_number>/withdraw-from-partners/",
        views.withdraw_from_partners,
        name="withdraw_update_from_partners",
    ),
    path(f"{VERSION}/", views.version_page, name="update_version"),
    path(f"{VERSION}/back-brief/", views.send_back_brief, name="back_brief_update"),
    path(f"{VERSION}.md", views.version_markdown, name="update_version_markdown"),
    path(f"{VERSION}.json", views.version_json, name="update_version_json"),
]
