"""Domain errors: a stable machine code, a translated message and the HTTP status it maps to.

`config/api.py` turns them into `{"code", "detail"}` answers; HTML views show the message.
"""


class DomainError(Exception):
    status = 400

    def __init__(self, code: str, message: str, *, status: int | None = None, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.field = field
        if status is not None:
            self.status = status


class PermissionDenied(DomainError):
    status = 403


class Busy(DomainError):
    """The seat pool is locked by other registrations for longer than we wait."""

    status = 503
    retry_after_seconds = 2


class ValidationFailed(DomainError):
    """Several field errors at once, e.g. from an event form."""

    status = 422

    def __init__(self, errors: dict[str, list[DomainError]]):
        first = next(iter(errors.values()))[0]
        super().__init__(first.code, first.message)
        self.errors = errors
