"""A Twilio-compatible Messages API on loopback: the only thing the tests fake.

The real `twilio` client talks to it over HTTP (settings.TWILIO_API_BASE_URL). It records every
request and answers 201 with a fresh message SID unless a scripted answer says otherwise:
`script(...)` for the next requests in order, `fail_for(number, ...)` for one recipient.

WhatsApp goes through the same endpoint, to "whatsapp:+972…": either a `ContentSid` (an HX…
template) with `ContentVariables` (a JSON object of strings), or a free-form `Body`, which
WhatsApp delivers only within 24 hours of the customer's last message (`customer_wrote`). A
free-form message outside that window is taken (201), as Twilio does, and listed in
`outside_window`: Twilio fails it later with 63016.
"""

import json
import re
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

ERROR_MESSAGES = {
    21211: "The 'To' number is not a valid phone number.",
    21610: "Attempt to send to unsubscribed recipient",
    21614: "'To' number is not a valid mobile number",
    21619: "A text message body or media urls must be specified",
    63003: "Channel could not find To address",
    63016: "Failed to send freeform message because you are outside the allowed window",
    63024: "Invalid message recipient",
}
WHATSAPP = "whatsapp:"
CONTENT_SID = re.compile(r"HX[0-9a-f]{32}")


@dataclass(frozen=True)
class Answer:
    status: int = 201
    code: int | None = None


@dataclass
class Request:
    path: str
    form: dict[str, str]
    authorization: str
    answered: int
    sid: str | None
    at: float = field(default_factory=time.monotonic)


class FakeTwilio:
    def __init__(self, delay: float = 0.0) -> None:
        self.requests: list[Request] = []
        # The recipient of every request as it arrived, before its (delayed) answer.
        self.arrived: list[str] = []
        self.delay = delay
        self._script: deque[Answer] = deque()
        self._by_recipient: dict[str, Answer] = {}
        self._windows: set[str] = set()
        self.outside_window: list[Request] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # --- control ---------------------------------------------------------------------------
    def script(self, *answers: Answer) -> None:
        with self._lock:
            self._script.extend(answers)

    def fail_for(self, recipient: str, status: int, code: int | None = None) -> None:
        with self._lock:
            self._by_recipient[recipient] = Answer(status, code)

    def customer_wrote(self, phone: str) -> None:
        """The customer at `phone` sent a WhatsApp message: free-form messages may go."""
        with self._lock:
            self._windows.add(f"{WHATSAPP}{phone}")

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.arrived.clear()
            self._script.clear()
            self._by_recipient.clear()
            self._windows.clear()
            self.outside_window.clear()
            self.delay = 0.0

    @property
    def accepted(self) -> list[Request]:
        """Texts the fake took (answered 201)."""
        with self._lock:
            return [r for r in self.requests if r.answered == 201]

    def wait_for(self, count: int, timeout: float = 30.0) -> list[Request]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            accepted = self.accepted
            if len(accepted) >= count:
                return accepted
            time.sleep(0.05)
        return self.accepted

    # --- server ----------------------------------------------------------------------------
    def start(self) -> str:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as Twilio's API does
            disable_nagle_algorithm = True  # headers and body go out at once

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                form = {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}
                with fake._lock:
                    fake.arrived.append(form.get("To", ""))
                if fake.delay:
                    time.sleep(fake.delay)
                answer, sid = fake._answer(form.get("To", ""))
                refused = fake._refusal(form)
                if refused is not None:
                    answer, sid = refused, None
                request = Request(
                    self.path, form, self.headers.get("Authorization", ""), answer.status, sid
                )
                with fake._lock:
                    fake.requests.append(request)
                    if (
                        answer.status == 201
                        and form.get("To", "").startswith(WHATSAPP)
                        and "ContentSid" not in form
                        and form["To"] not in fake._windows
                    ):
                        fake.outside_window.append(request)
                payload: dict[str, object]
                if answer.status == 201:
                    payload = {
                        "sid": sid,
                        "status": "queued",
                        "to": form.get("To"),
                        "body": form.get("Body"),
                        "num_segments": "1",
                        "messaging_service_sid": form.get("MessagingServiceSid"),
                    }
                else:
                    payload = {
                        "code": answer.code,
                        "status": answer.status,
                        "message": ERROR_MESSAGES.get(answer.code or 0, "Error"),
                        "more_info": f"https://www.twilio.com/docs/errors/{answer.code}",
                    }
                body = json.dumps(payload).encode()
                self.send_response(answer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass  # keep test output (and numbers) quiet

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client killed mid-request (the SIGKILL test) is expected

        self._server = Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @staticmethod
    def _refusal(form: dict[str, str]) -> Answer | None:
        """What Twilio's API refuses outright: a text with neither body nor template, a
        malformed ContentSid or ContentVariables."""
        content_sid = form.get("ContentSid")
        if content_sid is None:
            return None if form.get("Body") else Answer(400, 21619)
        if not CONTENT_SID.fullmatch(content_sid):
            return Answer(400, 21619)
        try:
            variables = json.loads(form.get("ContentVariables", "{}"))
        except ValueError:
            return Answer(400, 21619)
        if not isinstance(variables, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in variables.items()
        ):
            return Answer(400, 21619)
        return None

    def _answer(self, recipient: str) -> tuple[Answer, str | None]:
        with self._lock:
            answer = self._by_recipient.get(recipient) or (
                self._script.popleft() if self._script else Answer()
            )
        return answer, (f"SM{uuid.uuid4().hex}" if answer.status == 201 else None)
