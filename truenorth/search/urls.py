from django.urls import path

from truenorth.search import views

patterns = [
    path("search/", views.search, name="search"),
    path("search.json", views.search_json, name="search_json"),
]
