"""JSON bodies that name only fields they know: a misspelt field ("sttaus") would otherwise be
dropped without a word and the record saved without it, so it is a 400 naming each unknown one.

A PATCH body may also take a record as read, so that a program can read a record, edit it and
send it back: the fields a read carries that a write does not take are set aside before the
body is checked, and the handler compares them with the record as read now (check_as_read)."""

from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any, ClassVar

from ninja import Schema
from pydantic import ConfigDict, PrivateAttr, model_validator
from pydantic_core import PydanticCustomError

from truenorth.api.forms import refused


class StrictBody(Schema):
    # extra="forbid" also tells the OpenAPI schema; a NaN or Infinity (which Python's JSON
    # reads) is refused as "a finite number", not measured against a field's bounds.
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    # The read this body takes back (None: none), and the field naming the record in it.
    read_as: ClassVar[type[Schema] | None] = None
    record_key: ClassVar[str] = "id"
    # Read fields a client could mean to change, each with how to change it. The read's other
    # fields this body does not take are the server's (times, counts, computed texts), taken
    # and ignored whatever their value: a client may hold a stale copy.
    changed_by: ClassVar[dict[str, str]] = {}
    # Read fields that carry by id what a field of this body takes ({"owner_id": "owner"}):
    # that field, read as a name or names, is taken back unchanged only.
    ids_of: ClassVar[dict[str, str]] = {}
    # Where the names of those ids are, by field: the workspace's rows with a `name`
    # ({"owner": "people"}). Names sent beside their ids must be those ids' names, so a read
    # sent back restores what it read; a field not here is checked against what is saved.
    named_in: ClassVar[dict[str, str]] = {}
    # Fields another answer of the same record adds (a POST's): taken and ignored.
    derived: ClassVar[tuple[str, ...]] = ()
    # Fields read as links ({"id": 3, "title": …}) and written as ids: a link sent is its id.
    links: ClassVar[tuple[str, ...]] = ()

    _as_read: dict[str, Any] = PrivateAttr(default_factory=dict)
    _beside_ids: dict[str, Any] = PrivateAttr(default_factory=dict)

    @model_validator(mode="wrap")
    @classmethod
    def known_fields_only(cls, data: Any, handler: Any) -> Any:
        as_read: dict[str, Any] = {}
        beside_ids: dict[str, Any] = {}
        if isinstance(data, dict):
            data, as_read, beside_ids = cls.written_and_read(data)
            # Before pydantic's own check, which names only the first unknown field.
            unknown = [str(name) for name in data if name not in cls.model_fields]
            if unknown:
                known = ", ".join([*cls.model_fields, *cls.ids_of])
                message = f"unknown field(s) {', '.join(unknown)}; the fields are {known}"
                raise PydanticCustomError("unknown_fields", message)
        body = handler(data)
        body._as_read, body._beside_ids = as_read, beside_ids
        return body

    @classmethod
    def written_and_read(cls, sent: dict) -> tuple[dict, dict, dict]:
        """The fields to write, in this body's terms, those set aside as read, and the names
        sent beside ids (to be those ids' names)."""
        data = dict(sent)
        read = {*cls.read_as.model_fields, *cls.derived} if cls.read_as else set()
        read_only = read - set(cls.model_fields) - set(cls.ids_of)
        as_read = {name: data.pop(name) for name in list(data) if name in read_only}
        beside_ids = {}
        for name in cls.links:
            if isinstance(data.get(name), list):
                data[name] = [link_id(item) for item in data[name]]
        for id_name, name in cls.ids_of.items():
            if id_name in data:
                ids = data.pop(id_name)
                also = data.pop(name, None)
                if is_ids(also) and not same(also, ids):
                    message = f"{name} and {id_name} name different records; send one of them."
                    raise PydanticCustomError("ids_differ", message)
                if also is not None and not is_ids(also):
                    if name in cls.named_in:
                        beside_ids[name] = also
                    else:
                        as_read[name] = also
                data[name] = ids
            elif name in data and data[name] is not None and not is_ids(data[name]):
                as_read[name] = data.pop(name)  # a name or names, as read
        return data, as_read, beside_ids

    def check_as_read(
        self, record: Any, what: str, request: Any = None, workspace: Any = None
    ) -> None:
        """A 400 when a field sent as read differs from the record as read now, where that field
        is one the client could mean to change; `id` (or the key) must be the record's. Names
        sent beside ids are those ids' names, or the names as read now (only the ids edited)."""
        if not (self._as_read or self._beside_ids) or self.read_as is None:
            return
        current = self.read_as.model_validate(record, context={"request": request})
        now = current.model_dump(mode="json")
        names_read = {name: id_name for id_name, name in self.ids_of.items()}
        for name, sent in self._as_read.items():
            if same(sent, now.get(name)):
                continue
            if name == self.record_key:
                message = f"The {name} sent is not {now[name]}, the {what}'s {name}."
                raise refused(what, name, message)
            if name in self.changed_by:  # first: it may say more than names_read would
                raise refused(what, name, f"{name} is not changed here: {self.changed_by[name]}.")
            if name in names_read:
                message = f"{name} is read as names; send {names_read[name]} to change it."
                raise refused(what, name, message)
        for name, sent in self._beside_ids.items():
            named = names_of(workspace, self.named_in[name], getattr(self, name))
            if not same(sent, now.get(name)) and named is not None and not same(sent, named):
                message = f"{name} and {names_read[name]} name different records; send one of them."
                raise refused(what, name, message)


def names_of(workspace: Any, rows: str, ids: Any) -> Any:
    """The names of the workspace's rows with those ids, shaped as the ids are (one or a list);
    None where an id has no row: the write refuses that id, naming its field."""
    if ids is None:
        return ""
    wanted = ids if isinstance(ids, list) else [ids]
    found = dict(getattr(workspace, rows).filter(pk__in=wanted).values_list("pk", "name"))
    if not set(wanted) <= found.keys():
        return None
    names = [found[pk] for pk in wanted]
    return names if isinstance(ids, list) else names[0]


def link_id(item: Any) -> Any:
    return item["id"] if isinstance(item, dict) and "id" in item else item


def is_ids(value: Any) -> bool:
    """An id or a list of ids; an empty list or null could be either, and counts as read."""
    if isinstance(value, list):
        return bool(value) and all(isinstance(item, int) for item in value)
    return isinstance(value, int) and not isinstance(value, bool)


def unchanged(current: dict, changes: dict) -> bool:
    """Whether each field sent holds what is saved already: such a PATCH saves nothing and tells
    no one, so a program that writes back what it read does not echo forever."""
    return all(same(current.get(name), value) for name, value in changes.items())


def same(stored: Any, sent: Any) -> bool:
    if stored is None or sent is None:  # null clears: it is what an empty field holds
        return empty(stored) and empty(sent)
    if isinstance(stored, list | tuple) and isinstance(sent, list | tuple):
        stored, sent = [comparable(v) for v in stored], [comparable(v) for v in sent]
        if all(isinstance(v, int | str | Decimal) for v in [*stored, *sent]):
            return sorted(stored, key=str) == sorted(sent, key=str)  # a set of ids or names
        return stored == sent
    if isinstance(stored, dict) and isinstance(sent, dict):
        keys = stored.keys() | sent.keys()
        return all(same(stored.get(k), sent.get(k)) for k in keys)
    return comparable(stored) == comparable(sent)


def empty(value: Any) -> bool:
    """Null, "", no items or false: what a field holds once cleared (0 is a number)."""
    return (
        value is None
        or value is False
        or (isinstance(value, str | list | tuple | dict) and not value)
    )


def comparable(value: Any) -> Any:
    """A value as saved and as sent alike: null as "", a choice as its value, a number as a
    Decimal, a day or time as ISO text."""
    if value is None:
        return ""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return Decimal(str(value)).normalize()
    if isinstance(value, datetime):
        return value  # aware datetimes compare across zones
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: comparable(v) for k, v in value.items()}
    return value
