"""Errors a service raises, each with its HTTP status; `app/api/problems.py` renders them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal


class ServiceError(Exception):
    """Base of the errors a use case reports to its caller; a subclass sets its own status."""

    slug: ClassVar[str | None] = None
    status: ClassVar[int] = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class Unauthenticated(ServiceError):
    """No valid credentials (401)."""

    status = 401
    slug = "niet-geauthenticeerd"


class Forbidden(ServiceError):
    """Authenticated, but the role does not allow this operation (403)."""

    status = 403
    slug = "geen-toegang"


class NotFound(ServiceError):
    """The resource does not exist, or is outside the caller's scope (the same answer)."""

    status = 404


class Conflict(ServiceError):
    """The request conflicts with the current state (a duplicate, a key in flight)."""

    status = 409


class PreconditionRequired(ServiceError):
    """A change was sent without `If-Match`."""

    status = 428


class PreconditionFailed(ServiceError):
    """`If-Match` does not match the current version."""

    status = 412


class DomainRuleViolation(ServiceError):
    """A transition the domain does not allow."""

    status = 409


@dataclass(frozen=True, slots=True)
class FieldError:
    """One invalid input found by a service (beyond schema validation)."""

    name: str
    code: str
    reason: str
    location: Literal["body", "query", "path", "header"] = "body"


class InvalidInput(ServiceError):
    """Input that passed the schema but breaks a rule; every error is listed."""

    status = 400

    def __init__(self, errors: list[FieldError], detail: str | None = None) -> None:
        super().__init__(detail or f"Het verzoek bevat {len(errors)} fout(en); zie `errors`.")
        self.errors = errors
