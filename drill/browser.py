"""A small browser for the drill's users (the standard library's http.client): cookies, the CSRF token of
the page a form is on, urlencoded and multipart posts, and the request as the reverse proxy would pass it
(`X-Forwarded-Proto: https`, so production's HTTPS redirect and secure cookies behave as behind nginx).

Every request is timed and checked against the statuses it may answer; anything else (a 5xx, an
unexpected 4xx, a refused or dropped connection) is an error, recorded with what the drill prints of it.
"""

import html
import http.client
import re
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

TIMEOUT = 120
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Response:
    method: str
    path: str
    status: int
    headers: http.client.HTTPMessage | None
    body: bytes
    ms: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self) -> str:
        return urllib.parse.urlsplit(self.headers.get("Location", "")).path if self.headers else ""

    def csrf(self) -> str:
        found = _CSRF_INPUT.search(self.text)
        if not found:
            raise DrillError(f"{self.method} {self.path}: no CSRF token on the page")
        return found.group(1)


class DrillError(Exception):
    """A page did not answer as a user would need it to (its status is recorded as an error too)."""


@dataclass
class Recorder:
    """Every request's time and status, shared by the users' threads; the errors, with their evidence."""

    timings: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    recording: bool = True

    def request(self, response: Response, ok: bool, why: str = "") -> None:
        with self.lock:
            if not self.recording:
                return
            self.timings.append(response.ms)
            if not ok:
                self.errors.append(why or _describe(response))

    def error(self, why: str) -> None:
        with self.lock:
            if self.recording:
                self.errors.append(why)

    def add(self, what: str, n: int = 1) -> None:
        with self.lock:
            self.counts[what] = self.counts.get(what, 0) + n


def _describe(response: Response) -> str:
    reference = response.headers.get("X-Request-ID", "") if response.headers else ""
    snippet = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text))[:160].strip()
    return f"{response.method} {response.path} -> {response.status} [{reference}] {snippet}"


class Browser:
    """One user's browser: its own cookies; every request through `recorder`."""

    def __init__(self, port: int, recorder: Recorder, *, host: str = "127.0.0.1"):
        self.port, self.host, self.recorder = port, host, recorder
        self.cookies: dict[str, str] = {}
        self.origin = f"https://{host}:{port}"

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        content_type: str | None = None,
        expect: tuple[int, ...] = (200,),
        referer: str | None = None,
    ) -> Response:
        headers = {
            "Host": f"{self.host}:{self.port}",
            "X-Forwarded-Proto": "https",
            "User-Agent": "sanxiang-drill",
            "Accept": "text/html,application/json,*/*",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method != "GET":
            # Django checks the origin of an HTTPS POST: the proxy's scheme and host.
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + (referer or path)
        if body is not None:
            headers["Content-Type"] = content_type or "application/x-www-form-urlencoded"
            headers["Content-Length"] = str(len(body))
        started = time.perf_counter()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        try:
            connection.request(method, _ascii(path), body=body, headers=headers)
            answer = connection.getresponse()
            content = answer.read()
            response = Response(
                method, path, answer.status, answer.headers, content, (time.perf_counter() - started) * 1000
            )
        except (OSError, http.client.HTTPException) as error:
            response = Response(method, path, 0, None, b"", (time.perf_counter() - started) * 1000)
            self.recorder.request(response, False, f"{method} {path} -> connection error: {error!r}")
            raise DrillError(f"{method} {path}: {error!r}") from error
        finally:
            connection.close()
        for header in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        ok = response.status in expect
        self.recorder.request(response, ok)
        if not ok:
            raise DrillError(_describe(response))
        return response

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, fields, *, token: str, expect=(302,), referer=None) -> Response:
        """A form as the browser sends it: `fields` (a dict or pairs) and the page's CSRF token."""
        pairs = list(fields.items()) if isinstance(fields, dict) else list(fields)
        body = urllib.parse.urlencode([("csrfmiddlewaretoken", token), *pairs]).encode()
        return self.request("POST", path, body=body, expect=expect, referer=referer)

    def upload(self, path: str, fields: dict, files: dict, *, token: str, expect=(302,)) -> Response:
        """A multipart form: `files` maps a field to (file name, content type, bytes)."""
        boundary = "----drill" + secrets.token_hex(12)
        parts = []
        for name, value in {"csrfmiddlewaretoken": token, **fields}.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        for name, (filename, kind, content) in files.items():
            head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'
            )
            parts.append(head.encode() + content + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST",
            path,
            body=b"".join(parts),
            content_type=f"multipart/form-data; boundary={boundary}",
            expect=expect,
        )

    def login(self, username: str, password: str) -> None:
        """Through the real login form, with its CSRF token; lands on the user's first page."""
        page = self.get("/accounts/login/")
        answer = self.post(
            "/accounts/login/", {"username": username, "password": password, "next": "/"}, token=page.csrf()
        )
        if answer.location == "/accounts/login/":
            raise DrillError(f"login of {username} refused")


def _ascii(path: str) -> str:
    """The path as a browser sends it: characters outside ASCII (a name searched) percent-encoded."""
    return urllib.parse.quote(path, safe="/?&=%:+,;@-._~")


def links(page: Response, pattern: str) -> list[str]:
    """The distinct first groups of `pattern` in the page's HTML, in order."""
    seen = []
    for found in re.finditer(pattern, page.text):
        value = html.unescape(found.group(1))
        if value not in seen:
            seen.append(value)
    return seen
