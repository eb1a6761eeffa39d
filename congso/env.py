"""Typed helpers that read settings from the environment and fail loudly.

Every setting congso reads from the environment goes through one of these, so a
bad value stops the process at start-up with a message naming the variable,
instead of surfacing later as a strange error.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ImproperEnvironment(ValueError):
    """An environment variable holds a value congso cannot use."""


def _get(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None else value.strip()


def env_str(name: str, default: str | None = None) -> str:
    value = _get(name)
    if value:
        return value
    if default is None:
        raise ImproperEnvironment(f"{name} must be set")
    return default


def env_optional(name: str) -> str | None:
    value = _get(name)
    return value or None


def env_bool(name: str, default: bool) -> bool:
    value = _get(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperEnvironment(f"{name} must be a boolean (true/false), got {value!r}")


def _parse(name: str, default: T, parse: Callable[[str], T], kind: str) -> T:
    value = _get(name)
    if not value:
        return default
    try:
        return parse(value)
    except ValueError as exc:
        raise ImproperEnvironment(f"{name} must be {kind}, got {value!r}") from exc


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    result = _parse(name, default, int, "an integer")
    if minimum is not None and result < minimum:
        raise ImproperEnvironment(f"{name} must be at least {minimum}, got {result}")
    return result


def env_float(name: str, default: float) -> float:
    return _parse(name, default, float, "a number")


def env_list(name: str, default: list[str]) -> list[str]:
    value = _get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]
