"""Response models derived from the domain's frozen dataclasses, so a schema cannot drift from its view.

``out_model(CaseView)`` is a pydantic model with the same fields, typed as they appear in the JSON
body: ``datetime`` -> an ISO string (``Timestamp``), ``date`` -> ``Day``, tuples -> lists, nested
dataclasses -> their own derived models.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from functools import cache
from typing import Any

from pydantic import create_model

from api.schemas.common import Day, Out, Timestamp


def _json_type(hint: Any) -> Any:
    origin = typing.get_origin(hint)
    if hint is dt.datetime:
        return Timestamp
    if hint is dt.date:
        return Day
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return out_model(hint)
    if origin is tuple:
        args = typing.get_args(hint)
        return list[_json_type(args[0]) if args else Any]  # type: ignore[misc]
    if origin in (types.UnionType, typing.Union):
        parts = tuple(_json_type(a) for a in typing.get_args(hint))
        return typing.Union[parts]  # noqa: UP007 - built from parts
    if origin is dict:
        return dict[str, Any]
    return hint


@cache
def out_model(source: type, name: str | None = None, *, renamed: tuple[tuple[str, str], ...] = (),
              omitted: tuple[str, ...] = (), **added: Any) -> type[Out]:
    """The JSON body of ``source`` (a dataclass) as a model: its fields but ``omitted``, some
    ``renamed`` (``(field, key)`` pairs), and ``added`` ones (``key=(type, default)``)."""
    hints = typing.get_type_hints(source)
    keys = dict(renamed)
    fields: dict[str, Any] = {keys.get(f.name, f.name): (_json_type(hints[f.name]), ...)
                              for f in dataclasses.fields(source) if f.name not in omitted}
    fields.update(added)
    model = create_model(name or f"{source.__name__.removesuffix('View')}Out", __base__=Out, **fields)
    model.__doc__ = source.__doc__
    return model
