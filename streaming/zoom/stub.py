"""A local stand-in for Zoom's cloud: the S2S OAuth token endpoint and the Meetings API calls
Stadtdialog makes, as a real HTTP server (`manage.py zoom_stub`, or in-process in tests).

It follows Zoom's API reference: the same paths, status codes (201/200/204/400/401/404/429),
error bodies `{"code", "message"}` (124 invalid access token, 300 validation, 3001 meeting does
not exist), pagination with `next_page_token`. It is stricter than Zoom in two ways, both on
purpose: request bodies with fields the reference does not document are refused (see
`stub_schema`), and adding a registrant whose e-mail is already registered makes a second
registrant, so our own idempotency is tested instead of Zoom's.

For tests and the demo it can fail the next N calls (401, 429 with `Retry-After`, 500; before
or after doing the work, the latter being a lost answer) and send signed webhooks. Personal join
links and start links lead to small pages of the stub that report the join or the start to the
app by webhook, and a join page's "Leave" link reports the leave, so the demo shows attendance
and minutes without Zoom.
"""

import base64
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from pathlib import Path
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import requests
from django.utils.html import escape

from streaming.zoom import stub_schema as schema
from streaming.zoom.signatures import webhook_signature

TOKEN_LIFETIME_SECONDS = 3599
# Zoom's webhook delivery (developers.zoom.us, "Resolving webhook delays"): an answer other than
# 2xx, or none within three seconds, counts as failed, and Zoom sends the notification three more
# times, 5 minutes after the first attempt, 20 minutes after the first retry and 60 minutes after
# the second. Tests and the demo shorten the waits, never their number.
WEBHOOK_ANSWER_SECONDS = 3
ZOOM_WEBHOOK_RETRY_DELAYS = (5 * 60, 20 * 60, 60 * 60)
DEFAULT_PAGE_SIZE = 30
MAX_PAGE_SIZE = 300
MEETING_DEFAULTS = {
    "host_video": False,
    "participant_video": False,
    "join_before_host": False,
    "mute_upon_entry": False,
    "approval_type": 2,
    "registration_type": 1,
    "waiting_room": False,
    "audio": "both",
    "auto_recording": "none",
}
ERROR_MESSAGES = {
    401: (124, "Invalid access token."),
    429: (429, "You have reached the maximum per-second rate limit for this API. Try again later."),
    500: (500, "Internal server error."),
    503: (503, "Service unavailable."),
}


class ApiError(Exception):
    def __init__(self, status: int, code: int, message: str, errors: list | None = None):
        self.status, self.code, self.message, self.errors = status, code, message, errors


def validation_failed(found: list[tuple[str, str]]) -> ApiError:
    return ApiError(400, 300, "Validation Failed.", [{"field": path, "message": text} for path, text in found])


def meeting_not_found(meeting_id) -> ApiError:
    return ApiError(404, 3001, f"Meeting does not exist: {meeting_id}.")


@dataclass
class Fault:
    status: int
    remaining: int
    retry_after: str | None
    after_processing: bool


@dataclass
class Response:
    status: int
    body: dict | str | None = None
    headers: tuple = ()

    def wsgi(self, start_response) -> list[bytes]:
        if isinstance(self.body, str):
            payload, content_type = self.body.encode(), "text/html; charset=utf-8"
        elif self.body is None:
            payload, content_type = b"", "application/json"
        else:
            payload, content_type = json.dumps(self.body).encode(), "application/json;charset=UTF-8"
        headers = [("Content-Type", content_type), ("Content-Length", str(len(payload))), *self.headers]
        start_response(f"{self.status} {HTTPStatus(self.status).phrase}", headers)
        return [payload]


class ZoomStub:
    """Zoom's side: state, a WSGI app serving it, and the switches tests pull."""

    def __init__(
        self,
        *,
        account_id: str,
        client_id: str,
        client_secret: str,
        webhook_secret: str = "",
        webhook_url: str = "",
        token_lifetime: int = TOKEN_LIFETIME_SECONDS,
        webhook_retry_delays: tuple[float, ...] = ZOOM_WEBHOOK_RETRY_DELAYS,
    ):
        self.account_id, self.client_id, self.client_secret = account_id, client_id, client_secret
        self.webhook_secret, self.webhook_url = webhook_secret, webhook_url
        self.webhook_retry_delays = webhook_retry_delays
        # Every delivery attempt and its answer (a status, or None for no answer in time).
        self.webhook_attempts: list[dict] = []
        self.token_lifetime = token_lifetime
        self.base_url = "http://zoom-stub.invalid"
        self.lock = threading.RLock()
        self.meetings: dict[int, dict] = {}
        self.registrants: dict[int, list[dict]] = {}
        # Who is in which meeting now, by participant_uuid: their leave names them the same way.
        self.present: dict[int, dict[str, dict]] = {}
        self.tokens: dict[str, float] = {}
        self.faults: list[Fault] = []
        self.calls: list[dict] = []
        self.tokens_issued = 0
        self.state_file: Path | None = None

    def keep_state_in(self, path: Path) -> None:
        """Meetings and registrants survive a restart of the demo's stub, as they do at Zoom."""
        self.state_file = path
        if path.exists():
            saved = json.loads(path.read_text())
            self.meetings = {int(key): meeting for key, meeting in saved["meetings"].items()}
            self.registrants = {int(key): people for key, people in saved["registrants"].items()}

    def save_state(self) -> None:
        if self.state_file is not None:
            with self.lock:
                state = json.dumps({"meetings": self.meetings, "registrants": self.registrants})
            self.state_file.write_text(state)

    # Switches for tests and the demo

    def fail_next(self, count: int, status: int, *, retry_after: str | None = None, after_processing=False) -> None:
        """The next `count` API calls answer `status`; `after_processing`: do the work, lose the answer."""
        with self.lock:
            self.faults.append(Fault(status, count, retry_after, after_processing))

    def revoke_tokens(self) -> None:
        with self.lock:
            self.tokens.clear()

    def registrants_of(self, meeting_id: int) -> list[dict]:
        with self.lock:
            return [dict(registrant) for registrant in self.registrants.get(meeting_id, [])]

    def api_calls(self, method: str | None = None, path_contains: str = "") -> list[dict]:
        with self.lock:
            return [
                call
                for call in self.calls
                if (method is None or call["method"] == method) and path_contains in call["path"]
            ]

    def signed_webhook(self, event: str, obj: dict, *, timestamp: int | None = None) -> tuple[bytes, dict]:
        """A webhook as Zoom sends it: JSON body, `x-zm-request-timestamp`, `x-zm-signature`."""
        payload = {"account_id": self.account_id, "object": obj}
        message = {"event": event, "event_ts": int(time.time() * 1000), "payload": payload}
        return self.signed(json.dumps(message).encode(), timestamp=timestamp)

    def signed(self, body: bytes, *, timestamp: int | None = None) -> tuple[bytes, dict]:
        stamp = str(timestamp if timestamp is not None else int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "x-zm-request-timestamp": stamp,
            "x-zm-signature": webhook_signature(self.webhook_secret, stamp, body),
        }
        return body, headers

    def send_webhook(self, url: str, event: str, obj: dict) -> int | None:
        """Deliver as Zoom does: again after each of `webhook_retry_delays` while the answer is
        not 2xx or does not come in time. Each attempt is signed anew (the same body, a fresh
        timestamp), as the receiver refuses timestamps older than five minutes. Returns the last
        answer's status, None if none came."""
        body, _ = self.signed_webhook(event, obj)
        status = None
        for delay in (0, *self.webhook_retry_delays):
            time.sleep(delay)
            _, headers = self.signed(body)
            try:
                status = requests.post(url, data=body, headers=headers, timeout=WEBHOOK_ANSWER_SECONDS).status_code
            except requests.RequestException:
                status = None
            with self.lock:
                self.webhook_attempts.append({"event": event, "status": status})
            if status is not None and 200 <= status < 300:
                break
        return status

    def meeting_object(self, meeting_id: int) -> dict:
        """A meeting as webhooks describe it (IDs as strings, as Zoom sends them)."""
        meeting = self.meetings[meeting_id]
        keys = ("uuid", "host_id", "topic", "type", "start_time", "timezone", "duration")
        return {"id": str(meeting_id), **{key: meeting[key] for key in keys}}

    # WSGI

    def __call__(self, environ, start_response):
        method = environ["REQUEST_METHOD"]
        path = environ.get("PATH_INFO", "")
        query = {key: values[-1] for key, values in parse_qs(environ.get("QUERY_STRING", "")).items()}
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        try:
            response = self.route(method, path, query, body, environ)
        except ApiError as error:
            payload = {"code": error.code, "message": error.message}
            if error.errors:
                payload["errors"] = error.errors
            response = Response(error.status, payload)
        return response.wsgi(start_response)

    def route(self, method, path, query, body, environ) -> Response:
        if path == "/oauth/token":
            return self.oauth(method, query, body, environ)
        if path.startswith("/v2/"):
            return self.api(method, path.removeprefix("/v2"), query, body, environ)
        if match := re.fullmatch(r"/w/(\d+)", path):
            return self.join_page(int(match[1]), query.get("tk", ""))
        if match := re.fullmatch(r"/w/(\d+)/leave", path):
            return self.leave_page(int(match[1]), query.get("p", ""))
        if match := re.fullmatch(r"/s/(\d+)", path):
            return self.start_page(int(match[1]))
        if path.startswith("/_stub/") and method == "POST":
            return self.control(path.removeprefix("/_stub/"), body)
        return Response(404, {"code": 404, "message": "Not found."})

    def oauth(self, method, query, body, environ) -> Response:
        if method != "POST":
            return Response(405, {"reason": "Method not allowed", "error": "invalid_request"})
        form = {key: values[-1] for key, values in parse_qs(body.decode()).items()} | query
        if not self.basic_auth_matches(environ.get("HTTP_AUTHORIZATION", "")):
            return Response(401, {"reason": "Invalid client_id or client_secret", "error": "invalid_client"})
        if form.get("grant_type") != "account_credentials":
            return Response(400, {"reason": "Unsupported grant type", "error": "unsupported_grant_type"})
        if form.get("account_id") != self.account_id:
            return Response(400, {"reason": "Invalid account_id", "error": "invalid_request"})
        token = secrets.token_urlsafe(32)
        with self.lock:
            self.tokens[token] = time.time() + self.token_lifetime
            self.tokens_issued += 1
        return Response(
            200,
            {
                "access_token": token,
                "token_type": "bearer",
                "expires_in": self.token_lifetime,
                "scope": "meeting:write:admin meeting:read:admin",
                "api_url": self.base_url,
            },
        )

    def basic_auth_matches(self, header: str) -> bool:
        if not header.startswith("Basic "):
            return False
        try:
            given = base64.b64decode(header.removeprefix("Basic ")).decode()
        except ValueError:
            return False
        expected = f"{self.client_id}:{self.client_secret}"
        return secrets.compare_digest(given.encode(), expected.encode())

    def api(self, method, path, query, body, environ) -> Response:
        with self.lock:
            self.calls.append({"method": method, "path": path, "query": query, "body": body.decode(errors="replace")})
            fault = self.take_fault()
        if fault is not None and not fault.after_processing:
            return self.fault_response(fault)
        token = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ")
        with self.lock:
            expires = self.tokens.get(token)
        if expires is None or expires < time.time():
            code, message = ERROR_MESSAGES[401]
            raise ApiError(401, code, "Access token is expired." if expires else message)
        response = self.dispatch(method, path, query, body)
        if method != "GET" and response.status < 300:
            self.save_state()
        return self.fault_response(fault) if fault is not None else response

    def take_fault(self) -> Fault | None:
        while self.faults and self.faults[0].remaining <= 0:
            self.faults.pop(0)
        if not self.faults:
            return None
        self.faults[0].remaining -= 1
        return self.faults[0]

    def fault_response(self, fault: Fault) -> Response:
        code, message = ERROR_MESSAGES.get(fault.status, (fault.status, "Error."))
        headers = (("Retry-After", fault.retry_after),) if fault.retry_after else ()
        return Response(fault.status, {"code": code, "message": message}, headers)

    def dispatch(self, method, path, query, body) -> Response:
        routes = [
            ("POST", r"/users/([^/]+)/meetings", "POST meetings", self.create_meeting),
            ("GET", r"/meetings/(\d+)", "GET meeting", self.get_meeting),
            ("PATCH", r"/meetings/(\d+)", "PATCH meeting", self.update_meeting),
            ("DELETE", r"/meetings/(\d+)", "DELETE meeting", self.delete_meeting),
            ("POST", r"/meetings/(\d+)/registrants", "POST registrants", self.add_registrant),
            ("GET", r"/meetings/(\d+)/registrants", "GET registrants", self.list_registrants),
            ("PUT", r"/meetings/(\d+)/registrants/status", "PUT registrant status", self.set_registrant_status),
        ]
        path_known = False
        for route_method, pattern, name, handler in routes:
            match = re.fullmatch(pattern, path)
            if not match:
                continue
            path_known = True
            if route_method != method:
                continue
            unknown = set(query) - schema.QUERY_PARAMETERS[name]
            if unknown:
                raise validation_failed([(key, "Unknown query parameter.") for key in sorted(unknown)])
            with self.lock:
                return handler(match[1], query, body)
        if path_known:
            return Response(405, {"code": 405, "message": "Method not allowed."})
        return Response(404, {"code": 404, "message": "No such API endpoint."})

    # Meetings

    def create_meeting(self, user_id, query, body) -> Response:
        data = parse_body(body, schema.MEETING)
        if data.get("type", 2) in (2, 8) and "start_time" not in data:
            raise validation_failed([("start_time", "Required for a scheduled meeting.")])
        meeting_id = self.new_meeting_id()
        settings = {**MEETING_DEFAULTS, **data.get("settings", {})}
        password = data.get("password") or secrets.token_hex(3)
        meeting = {
            "uuid": base64.b64encode(secrets.token_bytes(16)).decode(),
            "id": meeting_id,
            "host_id": "stubHost0000000000001",
            "host_email": "host@zoom-stub.invalid",
            "topic": data.get("topic", "Zoom Meeting"),
            "type": data.get("type", 2),
            "status": "waiting",
            "start_time": utc_start(data.get("start_time", "")),
            "duration": data.get("duration", 60),
            "timezone": data.get("timezone", "UTC"),
            "agenda": data.get("agenda", ""),
            "created_at": zoom_now(),
            "password": password,
            "h323_password": password,
            "pstn_password": password,
            "encrypted_password": secrets.token_urlsafe(24),
            "pre_schedule": data.get("pre_schedule", False),
            "settings": settings,
        }
        self.meetings[meeting_id] = meeting
        self.registrants[meeting_id] = []
        return Response(201, self.meeting_view(meeting), (("Content-Location", f"/v2/meetings/{meeting_id}"),))

    def new_meeting_id(self) -> int:
        # Eleven digits: beyond 32 bits, as Zoom's own IDs.
        while (meeting_id := secrets.randbelow(9 * 10**10) + 10**10 + 8 * 10**10) in self.meetings:
            continue
        return meeting_id

    def meeting_view(self, meeting: dict) -> dict:
        view = {
            **meeting,
            # A fresh host link each time, as Zoom's start_url expires after a while.
            "start_url": f"{self.base_url}/s/{meeting['id']}?zak={secrets.token_urlsafe(24)}",
            "join_url": f"{self.base_url}/j/{meeting['id']}?pwd={meeting['encrypted_password']}",
        }
        if meeting["settings"]["approval_type"] != 2:
            view["registration_url"] = f"{self.base_url}/meeting/register/{meeting['uuid'][:12]}"
        return view

    def meeting(self, meeting_id: str) -> dict:
        meeting = self.meetings.get(int(meeting_id))
        if meeting is None:
            raise meeting_not_found(meeting_id)
        return meeting

    def get_meeting(self, meeting_id, query, body) -> Response:
        return Response(200, self.meeting_view(self.meeting(meeting_id)))

    def update_meeting(self, meeting_id, query, body) -> Response:
        meeting = self.meeting(meeting_id)
        data = parse_body(body, schema.MEETING)
        settings = {**meeting["settings"], **data.pop("settings", {})}
        meeting.update(data, settings=settings)
        if "start_time" in data:
            meeting["start_time"] = utc_start(data["start_time"])
        return Response(204)

    def delete_meeting(self, meeting_id, query, body) -> Response:
        self.meeting(meeting_id)
        del self.meetings[int(meeting_id)]
        return Response(204)

    # Registrants

    def add_registrant(self, meeting_id, query, body) -> Response:
        meeting = self.meeting(meeting_id)
        data = parse_body(body, schema.REGISTRANT)
        missing = [name for name in schema.REGISTRANT_REQUIRED if not data.get(name)]
        if missing:
            raise validation_failed([(name, "Required.") for name in missing])
        if meeting["settings"]["approval_type"] == 2:
            raise ApiError(400, 404, f"Registration has not been enabled for this meeting: {meeting_id}.")
        auto = data.pop("auto_approve", False) or meeting["settings"]["approval_type"] == 0
        token = secrets.token_urlsafe(24)
        registrant = {
            "id": secrets.token_urlsafe(16),
            "email": data["email"],
            "first_name": data["first_name"],
            "last_name": data.get("last_name", ""),
            "language": data.get("language", "en-US"),
            "status": "approved" if auto else "pending",
            "create_time": zoom_now(),
            "join_url": f"{self.base_url}/w/{meeting['id']}?tk={token}&pwd={meeting['encrypted_password']}",
            "participant_pin_code": secrets.randbelow(900000) + 100000,
            "token": token,
        }
        self.registrants[meeting["id"]].append(registrant)
        return Response(
            201,
            {
                "id": meeting["id"],
                "join_url": registrant["join_url"],
                "registrant_id": registrant["id"],
                "start_time": meeting["start_time"],
                "topic": meeting["topic"],
                "occurrences": [],
                "participant_pin_code": registrant["participant_pin_code"],
            },
        )

    def list_registrants(self, meeting_id, query, body) -> Response:
        meeting = self.meeting(meeting_id)
        status = query.get("status", "approved")
        if status not in ("pending", "approved", "denied"):
            raise validation_failed([("status", f"Invalid value {status!r}.")])
        try:
            size = min(int(query.get("page_size", DEFAULT_PAGE_SIZE)), MAX_PAGE_SIZE)
            token = query.get("next_page_token")
            offset = int(base64.urlsafe_b64decode(token).decode()) if token else 0
        except ValueError:
            raise validation_failed([("next_page_token", "Invalid value.")]) from None
        matching = [r for r in self.registrants[meeting["id"]] if r["status"] == status]
        page = matching[offset : offset + size]
        rest = offset + size < len(matching)
        return Response(
            200,
            {
                "page_count": max(1, -(-len(matching) // size)),
                "page_number": offset // size + 1,
                "page_size": size,
                "total_records": len(matching),
                "next_page_token": base64.urlsafe_b64encode(str(offset + size).encode()).decode() if rest else "",
                "registrants": [public_registrant(r) for r in page],
            },
        )

    def set_registrant_status(self, meeting_id, query, body) -> Response:
        meeting = self.meeting(meeting_id)
        data = parse_body(body, schema.REGISTRANT_STATUS)
        if "action" not in data:
            raise validation_failed([("action", "Required.")])
        # Zoom lists a cancelled registration among the denied ones.
        new_status = {"approve": "approved", "cancel": "denied", "deny": "denied"}[data["action"]]
        for wanted in data.get("registrants", []):
            found = [
                r
                for r in self.registrants[meeting["id"]]
                if r["id"] == wanted.get("id") or (not wanted.get("id") and r["email"] == wanted.get("email"))
            ]
            if not found:
                raise ApiError(404, 3000, f"Registrant not found: {wanted.get('id') or wanted.get('email')}.")
            for registrant in found:
                registrant["status"] = new_status
        return Response(204)

    # Pages behind the links, and the control endpoints of `manage.py zoom_stub`

    def join_page(self, meeting_id: int, token: str) -> Response:
        with self.lock:
            meeting = self.meetings.get(meeting_id)
            registrant = next((r for r in self.registrants.get(meeting_id, []) if r["token"] == token), None)
        if meeting is None or registrant is None or registrant["status"] != "approved":
            return Response(403, page("Zoom stub", "This link does not let you into a meeting."))
        participant = {
            "user_id": str(secrets.randbelow(10**8)),
            "user_name": f"{registrant['first_name']} {registrant['last_name']}".strip(),
            "id": secrets.token_urlsafe(16),
            "participant_uuid": secrets.token_urlsafe(16),
            "join_time": zoom_now(),
            "email": registrant["email"],
            "registrant_id": registrant["id"],
        }
        with self.lock:
            self.present.setdefault(meeting_id, {})[participant["participant_uuid"]] = participant
        self.report("meeting.participant_joined", {**self.meeting_object(meeting_id), "participant": participant})
        leave_url = f"{self.base_url}/w/{meeting_id}/leave?p={participant['participant_uuid']}"
        return Response(
            200,
            page(
                "Zoom stub", f"{participant['user_name']} joined “{meeting['topic']}” (meeting {meeting_id})."
            ).replace("</body>", f"<p><a href='{escape(leave_url)}'>Leave</a></p></body>"),
        )

    def leave_page(self, meeting_id: int, participant_uuid: str) -> Response:
        participant = self.leave(meeting_id, participant_uuid, reason="left the meeting")
        if participant is None:
            return Response(404, page("Zoom stub", "Nobody with this link is in the meeting."))
        return Response(200, page("Zoom stub", f"{participant['user_name']} left the meeting {meeting_id}."))

    def leave(self, meeting_id: int, participant_uuid: str, *, reason: str) -> dict | None:
        """Zoom's `meeting.participant_left`: the join's identifiers, `leave_time` and
        `leave_reason` instead of `join_time`."""
        with self.lock:
            joined = self.present.get(meeting_id, {}).pop(participant_uuid, None)
            if joined is None:
                return None
            obj = self.meeting_object(meeting_id)
        participant = {key: value for key, value in joined.items() if key != "join_time"}
        participant.update(leave_time=zoom_now(), leave_reason=reason)
        self.report("meeting.participant_left", {**obj, "participant": participant})
        return participant

    def start_page(self, meeting_id: int) -> Response:
        with self.lock:
            meeting = self.meetings.get(meeting_id)
        if meeting is None:
            return Response(404, page("Zoom stub", "No such meeting."))
        self.report("meeting.started", self.meeting_object(meeting_id))
        return Response(200, page("Zoom stub", f"You started “{meeting['topic']}” as host (meeting {meeting_id})."))

    def report(self, event: str, obj: dict) -> None:
        """Tell the app by webhook, in the background like Zoom does, if the stub knows where."""
        if self.webhook_url and self.webhook_secret:
            threading.Thread(target=self.send_webhook, args=(self.webhook_url, event, obj), daemon=True).start()

    def control(self, action: str, body: bytes) -> Response:
        data = json.loads(body or b"{}")
        if action == "faults":
            self.fail_next(
                int(data.get("count", 1)),
                int(data.get("status", 500)),
                retry_after=data.get("retry_after"),
                after_processing=bool(data.get("after_processing")),
            )
            return Response(204)
        if action == "webhook":
            meeting_id = int(data["meeting_id"])
            with self.lock:
                obj = self.meeting_object(meeting_id)
            if data.get("event") == "meeting.ended":
                obj["end_time"] = zoom_now()
                # Zoom tells of everyone still inside that they left when the host ends a meeting.
                for participant_uuid in list(self.present.get(meeting_id, {})):
                    self.leave(
                        meeting_id, participant_uuid, reason="left the meeting. Reason : Host ended the meeting."
                    )
            status = self.send_webhook(data["url"], data.get("event", "meeting.started"), obj)
            return Response(200, {"status": status})
        return Response(404, {"code": 404, "message": "Unknown stub control."})


def parse_body(body: bytes, spec: dict) -> dict:
    try:
        data = json.loads(body or b"")
    except ValueError:
        raise ApiError(400, 300, "Request Body should be a valid JSON object.") from None
    found = schema.problems(data, spec)
    if found:
        raise validation_failed(found)
    return data


def public_registrant(registrant: dict) -> dict:
    return {key: value for key, value in registrant.items() if key != "token"}


def zoom_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_start(value: str) -> str:
    """Zoom answers with the start in UTC; the stub keeps what was sent when it already is."""
    return value if value.endswith("Z") or not value else value + "Z"


def page(title: str, text: str) -> str:
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{escape(title)}</title></head>"
        f"<body><h1>{escape(title)}</h1><p>{escape(text)}</p></body></html>"
    )


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        pass


def make_stub_server(stub: ZoomStub, host: str = "127.0.0.1", port: int = 0) -> ThreadingWSGIServer:
    """A server for `stub`; port 0 takes a free one. The stub learns its address for its links."""
    server = make_server(host, port, stub, server_class=ThreadingWSGIServer, handler_class=QuietHandler)
    stub.base_url = f"http://{host}:{server.server_port}"
    return server


def start_in_thread(stub: ZoomStub, host: str = "127.0.0.1", port: int = 0) -> ThreadingWSGIServer:
    server = make_stub_server(stub, host, port)
    threading.Thread(target=server.serve_forever, name="zoom-stub", daemon=True).start()
    return server


def seconds_from_now_as_http_date(seconds: int) -> str:
    """A `Retry-After` value as an HTTP date, for faults that give one."""
    moment = datetime.now(UTC) + timedelta(seconds=seconds)
    return moment.strftime("%a, %d %b %Y %H:%M:%S GMT")
