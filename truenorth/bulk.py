"""Updating many rows with one prepared statement, for writes that must hold the lock briefly.

Django's bulk_update builds a CASE WHEN expression per row and field, in Python, inside the
write transaction: about a millisecond a row (2.8 s for the 2,500 items a re-import of 50,000
changed), during which SQLite's one write lock is held and every answer sent meanwhile waits.
Here each row is one execution of the same UPDATE (executemany): the database's time only.
"""

from collections.abc import Sequence

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.utils import timezone


def update_rows(rows: Sequence[Model], fields: Sequence[str]) -> None:
    """Write the named fields of each of `rows` (saved instances of one model) to its row."""
    if not rows:
        return
    model = type(rows[0])
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    written = [model._meta.get_field(name) for name in fields]
    key = model._meta.pk
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in written)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(key.column)} = %s"
    params = [
        [field.get_db_prep_save(getattr(row, field.attname), connection) for field in written]
        + [key.get_db_prep_value(row.pk, connection)]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def stamp(rows: Sequence[Model]) -> None:
    """Set each row's updated_at to now: a bulk write skips the save that would (auto_now)."""
    now = timezone.now()
    for row in rows:
        row.updated_at = now


KEYS_PER_QUERY = 900  # under SQLite's 999 parameters, with room to spare


def rows_by_key(rows: QuerySet, key: str, keys: list[str]) -> dict[str, Model]:
    """The rows whose field `key` is one of `keys`, by that key: IN (…) for a few keys, one scan
    for many (a big file is most of the table, and one scan beats many IN queries)."""
    if len(keys) > KEYS_PER_QUERY:
        wanted = set(keys)
        return {getattr(r, key): r for r in rows.iterator(2000) if getattr(r, key) in wanted}
    return {getattr(r, key): r for r in rows.filter(**{f"{key}__in": keys})}


def restore_moments(made: Sequence[Model], rows: Sequence, field: str) -> None:
    """Each made row's `field` set to the moment its source row (a workspace file's) gives,
    where it gives one. The field is one the database sets itself on insert or save (auto_now_add,
    auto_now), so a file's moments can only be written after the rows exist."""
    dated = []
    for made_row, row in zip(made, rows, strict=True):
        moment = getattr(row, field)
        if moment is not None:
            setattr(made_row, field, moment)
            dated.append(made_row)
    update_rows(dated, [field])
