from django.urls import path

from truenorth.notifications import views

patterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("notifications.json", views.notifications_json, name="notifications_json"),
    path("notifications/webhooks/", views.webhooks, name="notification_webhooks"),
]
