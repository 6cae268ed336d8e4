"""Users, roles and sessions of the web app.

A user has a name, a role and a token.  The token is printed once when the user is
added (or its token reset); the store keeps only its SHA-256 hash, which is enough
for a random 192-bit token.  Roles, each allowing what the one before it does:
reader (sees the app), editor (corrects and rejects events), admin (also posts reports).

Sessions are signed cookies: name, expiry and a nonce, with an HMAC over them and the
user's current token hash, so resetting a token or removing the user ends every
session of theirs.  The signing key is made once per store and kept in it.  Forms
carry a CSRF token derived from the session (HMAC), checked on every POST.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass

from .errors import InputError
from .store import Store
from .tables import ensure_tables, writing

ROLES = ("reader", "editor", "admin")
SESSION_SECONDS = 12 * 3600
COOKIE = "sitrep_session"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS users (
        name TEXT PRIMARY KEY,
        role TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        created_at TIMESTAMP NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS app_secrets (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL)""",
]


@dataclass(frozen=True, slots=True)
class User:
    name: str
    role: str

    def can(self, role: str) -> bool:
        """Whether this user's role includes `role` (an admin can do what an editor can)."""
        return ROLES.index(self.role) >= ROLES.index(role)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _check(name: str, role: str | None = None) -> None:
    if not _NAME.match(name or ""):
        raise InputError(f"invalid user name {name!r}: letters, digits and . _ @ - only, at most 64")
    if role is not None and role not in ROLES:
        raise InputError(f"invalid role {role!r}: choose one of {', '.join(ROLES)}")


class Users:
    """The users table of one store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        ensure_tables(store, SCHEMA)

    def add(self, name: str, role: str) -> str:
        """Add a user; return their token (shown once, never stored)."""
        _check(name, role)
        if self.get(name):
            raise InputError(f"user {name!r} exists already (reset their token with `sitrep users token {name}`)")
        token = "sr_" + secrets.token_urlsafe(24)
        with writing(self.store) as con:
            con.run("INSERT INTO users VALUES (?, ?, ?, ?)", [name, role, token_hash(token), _now()])
        return token

    def reset_token(self, name: str) -> str:
        """A new token for a user; the old one and every session made with it stop working."""
        self._need(name)
        token = "sr_" + secrets.token_urlsafe(24)
        with writing(self.store) as con:
            con.run("UPDATE users SET token_hash = ? WHERE name = ?", [token_hash(token), name])
        return token

    def set_role(self, name: str, role: str) -> None:
        _check(name, role)
        self._need(name)
        with writing(self.store) as con:
            con.run("UPDATE users SET role = ? WHERE name = ?", [role, name])

    def remove(self, name: str) -> None:
        self._need(name)
        with writing(self.store) as con:
            con.run("DELETE FROM users WHERE name = ?", [name])

    def list(self) -> list[tuple[str, str, str]]:
        """(name, role, created) of every user, by name."""
        rows = self.store.query("SELECT name, role, created_at FROM users ORDER BY name")
        return [(n, r, c.isoformat(sep=" ", timespec="seconds")) for n, r, c in rows]

    def get(self, name: str) -> User | None:
        rows = self.store.query("SELECT name, role FROM users WHERE name = ?", [name])
        return User(*rows[0]) if rows else None

    def _need(self, name: str) -> None:
        if not self.get(name):
            raise InputError(f"no user {name!r}")

    def by_token(self, token: str | None) -> User | None:
        """The user a token belongs to, or None."""
        if not token:
            return None
        rows = self.store.query("SELECT name, role FROM users WHERE token_hash = ?", [token_hash(token.strip())])
        return User(*rows[0]) if rows else None

    def count(self) -> int:
        return self.store.query("SELECT count(*) FROM users")[0][0]

    # -- sessions ----------------------------------------------------------------

    def _secret(self) -> bytes:
        rows = self.store.query("SELECT value FROM app_secrets WHERE name = 'session'")
        if rows:
            return bytes.fromhex(rows[0][0])
        key = secrets.token_hex(32)
        with writing(self.store) as con:
            if not con.rows("SELECT count(*) FROM app_secrets WHERE name = 'session'")[0][0]:
                con.run("INSERT INTO app_secrets VALUES ('session', ?)", [key])
        return self._secret()

    def _sign(self, payload: str, token_hash_: str) -> str:
        return hmac.new(self._secret(), f"{payload}|{token_hash_}".encode(), hashlib.sha256).hexdigest()

    def session_for(self, token: str) -> tuple[User, str] | None:
        """Log in with a token: (user, cookie value), or None for a wrong token."""
        user = self.by_token(token)
        if user is None:
            return None
        payload = f"{user.name}|{int(time.time()) + SESSION_SECONDS}|{secrets.token_hex(8)}"
        return user, f"{payload}|{self._sign(payload, token_hash(token.strip()))}"

    def from_session(self, cookie: str | None) -> User | None:
        """The user of a valid, unexpired session cookie whose user still has the token it was made with."""
        parts = (cookie or "").split("|")
        if len(parts) != 4 or not parts[1].isdigit() or int(parts[1]) < time.time():
            return None
        rows = self.store.query("SELECT name, role, token_hash FROM users WHERE name = ?", [parts[0]])
        if not rows:
            return None
        good = self._sign("|".join(parts[:3]), rows[0][2])
        return User(rows[0][0], rows[0][1]) if hmac.compare_digest(good, parts[3]) else None

    def csrf_token(self, cookie: str) -> str:
        """The CSRF token of a session: forms carry it, POSTs must send it back."""
        return hmac.new(self._secret(), f"csrf|{cookie}".encode(), hashlib.sha256).hexdigest()[:40]

    def check_csrf(self, cookie: str | None, given: str | None) -> bool:
        return bool(cookie and given) and hmac.compare_digest(self.csrf_token(cookie), given)


def _now() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None)
