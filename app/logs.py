"""Structured JSON logs, one object per line, each with the request id.

Log lines never carry personal data: only ids, route templates, statuses and timings. Messages
are fixed strings; variable facts go in `extra` fields that are listed here, and nothing else is
copied from a record into the output.
"""

from __future__ import annotations

import json
import logging
import sys
import traceback
from contextvars import ContextVar
from datetime import UTC, datetime

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

ALLOWED_EXTRA = (
    "http_method",
    "route",
    "status",
    "duration_ms",
    "port",
    "host",
    "revision",
    "operation",
    "outcome",
)


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON object with an allow-list of fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "requestId": request_id_var.get(),
        }
        for key in ALLOWED_EXTRA:
            if key in record.__dict__:
                entry[key] = record.__dict__[key]
        if record.exc_info and record.exc_info[0] is not None:
            # The type and the stack, not the message: messages can carry submitted values.
            entry["exception"] = record.exc_info[0].__name__
            entry["stack"] = "".join(traceback.format_tb(record.exc_info[2]))
        return json.dumps(entry, default=str)


def configure_logging(level: str = "INFO") -> None:
    """Send every log record, ours and the libraries', through the JSON formatter to stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    # The access log is our own (route templates, no query strings).
    logging.getLogger("uvicorn.access").disabled = True
