from django_tasks import task

from truenorth.notifications import delivery
from truenorth.notifications.models import Notification


@task()
def deliver_notification(notification_id: int) -> list[dict]:
    """Send a notification by email and to its webhooks in the background (see TASKS); queued
    on commit by notifications.events. Each send is a Delivery row; the result lists them."""
    notification = Notification.objects.select_related("workspace", "team").get(pk=notification_id)
    if notification.deliveries.exists():
        return []  # sent already: a task run twice (a worker retried it) tells nobody twice
    return [delivery.delivery_json(row) for row in delivery.deliver(notification)]
