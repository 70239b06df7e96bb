"""The declarative base and the metadata naming convention that every migration relies on."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


Driver = Callable[[], Awaitable[Any]]
"""Gives the asyncpg connection of the unit of work's transaction (`UnitOfWork.driver`): the
hot paths' plain SQL runs on it, in the same transaction as the session's work."""


class Base(DeclarativeBase):
    """Base of every ORM model. Relationships are `lazy="raise"`: nothing loads behind your back."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
