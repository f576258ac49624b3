from django.urls import path

from truenorth.work import views

patterns = [
    path("work/", views.work_items, name="work_items"),
    path("work/<int:item_id>/link/", views.link, name="link_work_item"),
]
