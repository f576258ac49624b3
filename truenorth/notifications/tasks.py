from django_tasks import task

from truenorth import sending
from truenorth.notifications import delivery
from truenorth.notifications.models import Delivery, Notification


@task()
def deliver_notification(notification_id: int) -> list[dict]:
    """Send a notification by email and to its webhooks in the background (see TASKS); queued
    on commit by notifications.events. Each send is a Delivery row; the result lists them."""
    notification = Notification.objects.select_related("workspace", "team").get(pk=notification_id)
    # Sent already: a task run twice (a worker retried it) tells nobody twice. A notification
    # that grew since (claims checked, folded by the hour) has a later time, so it goes again.
    if notification.deliveries.filter(created_at__gte=notification.created_at).exists():
        return []
    return [delivery.delivery_json(row) for row in delivery.deliver(notification)]


@task()
def retry_webhook(delivery_id: int) -> dict:
    """The next try of a webhook's post that failed in a way a later try may fix, queued by
    notifications.delivery for when it is due; it queues the one after if this fails too."""
    row = Delivery.objects.select_related("notification__workspace", "webhook").get(pk=delivery_id)
    if row.status == Delivery.Status.QUEUED and row.webhook is not None:
        delivery.try_once(row)
    elif row.status == Delivery.Status.QUEUED:  # the webhook was removed meanwhile
        row.next_try_at = None
        sending.close(row, "The webhook was removed before the post landed.")
    return delivery.delivery_json(row)
