"""JSON bodies that name only fields they know: a misspelt field ("sttaus") would otherwise be
dropped without a word and the record saved without it, so it is a 400 naming each unknown one."""

from typing import Any

from ninja import Schema
from pydantic import ConfigDict, model_validator
from pydantic_core import PydanticCustomError


class StrictBody(Schema):
    # extra="forbid" also tells the OpenAPI schema; a NaN or Infinity (which Python's JSON
    # reads) is refused as "a finite number", not measured against a field's bounds.
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def known_fields_only(cls, data: Any) -> Any:
        # Before pydantic's own check, which names only the first unknown field.
        if isinstance(data, dict):
            unknown = [str(name) for name in data if name not in cls.model_fields]
            if unknown:
                known = ", ".join(cls.model_fields)
                message = f"unknown field(s) {', '.join(unknown)}; the fields are {known}"
                raise PydanticCustomError("unknown_fields", message)
        return data
