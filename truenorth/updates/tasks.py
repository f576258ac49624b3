from django.contrib.auth import get_user_model
from django_tasks import task

from truenorth.updates import delivery
from truenorth.updates.models import Update


@task()
def send_update(update_id: int, channels: list[str], by_id: int | None = None) -> list[dict]:
    """Send a published update by email and/or to the webhook in the background (see TASKS);
    enqueue it on commit. Each send is an UpdateSending row; the result lists them."""
    update = Update.objects.select_related("workspace").get(pk=update_id)
    by = get_user_model().objects.filter(pk=by_id).first() if by_id else None
    return [delivery.sending_json(row) for row in delivery.send(update, channels, by)]
