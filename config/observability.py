"""Request IDs and structured log lines, so operators can follow one request through the logs.

Log lines are JSON with a request ID; they never carry personal data (no names, addresses,
bodies, query strings or IP addresses)."""

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar

current_request_id: ContextVar[str] = ContextVar("request_id", default="-")
SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
PERSONAL_PATH_PARTS = re.compile(r"/(anmeldung|moderation|tisch|wunschgruppe|keine-updates|daten)/[^/]+")
logger = logging.getLogger("stadtdialog.requests")


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = current_request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record):
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        for key in ("method", "path", "status", "duration_ms"):
            if hasattr(record, key):
                line[key] = getattr(record, key)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def loggable_path(path: str) -> str:
    """Signed personal links are keys: the log keeps the kind of page, not the key."""
    return PERSONAL_PATH_PARTS.sub(r"/\1/…", path)


class RequestIdMiddleware:
    """Takes `X-Request-ID` from the proxy (or makes one), returns it, and logs one line per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = current_request_id.set(request_id)
        request.request_id = request_id
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            logger.info(
                "request",
                extra={
                    "method": request.method,
                    "path": loggable_path(request.path),
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            current_request_id.reset(token)
