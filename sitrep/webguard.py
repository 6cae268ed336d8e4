"""What every request to the web app passes before a handler sees it.

Three ASGI middlewares, outermost first:

* :class:`SecurityHeaders` gives each request an id (``X-Request-ID``, echoed in error bodies and
  server logs) and a CSP nonce, and adds the security headers to every response: a Content
  Security Policy that runs only scripts carrying the response's nonce (the app's own pages put
  it on the scripts they write), ``nosniff``, no framing, no referrer.
* Starlette's ``TrustedHostMiddleware`` (added by the app) refuses a Host header not on the list.
* :class:`WriteGuard` checks the token of every request that can change something, before one
  byte of its body is read, and refuses a body over the limit with 413 -- by its declared
  Content-Length at once, and by counting the bytes as they stream in otherwise.  A body is never
  held whole beyond the limit.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable

Scope = dict
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]

log = logging.getLogger("sitrep.web")

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_BODY_BYTES = 4_000_000
OWN_AUTH_BODY_BYTES = 64_000  # a login or correction form: a few hundred bytes  # a news report is 2-50 KB; four megabytes leaves room for a long one


def csp(nonce: str) -> str:
    """The Content Security Policy of a response whose own scripts carry ``nonce``."""
    return (
        "default-src 'self'; "
        f"script-src 'self' 'nonce-{nonce}'; "
        # The pages and the map style elements inline (style attributes and <style> blocks).
        "style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; "
        "font-src 'self' data:; "
        "connect-src 'self'; "
        "object-src 'none'; "
        "base-uri 'none'; "
        "form-action 'self'; "
        "frame-ancestors 'none'"
    )


def request_id(scope: Scope) -> str:
    return scope.get("state", {}).get("request_id", "-")


def token_matches(given: bytes, token: str) -> bool:
    """Constant-time comparison of the bytes a client sent with the token as UTF-8.

    HTTP headers arrive as bytes; a client sends a non-ASCII token as UTF-8, so the token is
    compared as UTF-8 bytes too (Starlette's header strings are Latin-1 and never matched)."""
    return hmac.compare_digest(given, token.encode("utf-8"))


def bearer(scope: Scope) -> bytes | None:
    """The token of an ``Authorization: Bearer <token>`` header, as raw bytes."""
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            scheme, _, given = value.partition(b" ")
            return given.strip() if scheme.lower() == b"bearer" else None
    return None


class SecurityHeaders:
    """Request id, CSP nonce and security headers on every HTTP response."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid, nonce = secrets.token_hex(8), secrets.token_urlsafe(16)
        scope.setdefault("state", {}).update(request_id=rid, csp_nonce=nonce)
        extra = [
            (b"x-request-id", rid.encode()),
            (b"content-security-policy", csp(nonce).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"no-referrer"),
        ]

        started = False

        async def send_with_headers(message: dict) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                present = {name.lower() for name, _ in message.get("headers", ())}
                message["headers"] = list(message.get("headers", ())) + [h for h in extra if h[0] not in present]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            # The traceback goes to the server log under the request id; the client gets the id only.
            log.exception("request %s: %s %s failed", rid, scope.get("method"), scope.get("path"))
            if started:
                raise
            await _refuse(scope, 500, "internal error")(scope, receive, send_with_headers)


def _refuse(scope: Scope, status: int, detail: str, headers: dict | None = None):
    from starlette.responses import JSONResponse

    return JSONResponse({"detail": detail, "request_id": request_id(scope)}, status_code=status, headers=headers)


class WriteGuard:
    """The token, then the body's size, for every request that is not a read.

    own_auth: a test of the path for routes that check their own credentials (a user's token or
    session with its CSRF token: log in, review); they skip the app token, and their bodies, small
    forms, are refused over OWN_AUTH_BODY_BYTES.
    """

    def __init__(self, app, token: str | None, max_body_bytes: int = MAX_BODY_BYTES,
                 own_auth: Callable[[str], bool] | None = None) -> None:
        self.app = app
        self.token = token
        self.max_body_bytes = max_body_bytes
        self.own_auth = own_auth or (lambda path: False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        own = self.own_auth(scope.get("path", ""))
        refusal = self._size_refusal(scope, OWN_AUTH_BODY_BYTES) if own else self._refusal(scope)
        if refusal is None:
            body = await self._read_body(receive, OWN_AUTH_BODY_BYTES if own else self.max_body_bytes)
            if body is None:
                refusal = self._too_large(scope)
            else:
                receive = _replay(body, receive)
        if refusal is not None:
            # The unread rest of the body is left with the server, which closes the connection.
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _refusal(self, scope: Scope):
        """A response refusing the request before its body is read, or None to go on."""
        if not self.token:
            return _refuse(scope, 503, "posting is disabled: the server has no SITREP_TOKEN")
        given = bearer(scope)
        if given is None or not token_matches(given, self.token):
            return _refuse(scope, 401, "a valid 'Authorization: Bearer <token>' header is required",
                           {"WWW-Authenticate": "Bearer"})
        return self._size_refusal(scope, self.max_body_bytes)

    def _size_refusal(self, scope: Scope, limit: int):
        for name, value in scope.get("headers", ()):
            if name == b"content-length" and (not value.isdigit() or int(value) > limit):
                return _refuse(scope, 413, f"request body over {limit:,} bytes")
        return None

    def _too_large(self, scope: Scope):
        return _refuse(scope, 413, f"request body over {self.max_body_bytes:,} bytes")

    async def _read_body(self, receive: Receive, limit: int) -> bytes | None:
        """The whole body, or None as soon as it passes the limit."""
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)


def _replay(body: bytes, then: Receive) -> Receive:
    """The body read already, as one message; then the connection's own messages (its disconnect)."""
    sent = False

    async def receive() -> dict:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await then()

    return receive
