from django.db import models


class Embedding(models.Model):
    """A text's embedding, cached by model and text hash so re-analysis embeds only new text."""

    model = models.CharField(max_length=200)
    text_hash = models.CharField(max_length=64)
    vector = models.BinaryField()

    class Meta:
        db_table = "checkins_embedding"  # made by the check-ins app, where the cache began
        constraints = [models.UniqueConstraint("model", "text_hash", name="unique_embedding")]

    def __str__(self) -> str:
        return f"{self.model}:{self.text_hash[:12]}"
