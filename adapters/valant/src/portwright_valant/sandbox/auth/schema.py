"""The auth tables of the sandbox database: accounts, sessions, MFA, SMS and the IdP.

Everything the login machinery decides is written here, so a test can ask the database
what happened (was a session created, ended, by what; which SMS was "sent") instead of
trusting what a page said. Timestamps are Unix seconds (REAL) from the auth clock.
"""

from __future__ import annotations

__all__ = ["AUTH_SCHEMA_SQL"]

AUTH_SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS users (
    id               INTEGER PRIMARY KEY,
    username         TEXT NOT NULL UNIQUE,
    display_name     TEXT NOT NULL,
    role             TEXT NOT NULL CHECK (role IN ('admin', 'scheduler', 'clinician', 'biller')),
    email            TEXT NOT NULL UNIQUE,
    phone            TEXT,
    password_hash    TEXT,             -- NULL: the account signs in through SSO only
    mfa_method       TEXT NOT NULL CHECK (mfa_method IN ('none', 'totp', 'email', 'sms')),
    totp_secret      TEXT,
    totp_last_step   INTEGER NOT NULL DEFAULT 0,  -- last accepted TOTP time step (no replay)
    sso_subject      TEXT UNIQUE,      -- the IdP's `sub` claim linked to this account
    failed_attempts  INTEGER NOT NULL DEFAULT 0,
    locked_until     REAL              -- Unix time; NULL or past: not locked
);

CREATE TABLE IF NOT EXISTS sessions (
    id            TEXT PRIMARY KEY,    -- sha256 of the cookie's token, never the token
    user_id       INTEGER NOT NULL REFERENCES users(id),
    created_at    REAL NOT NULL,
    last_seen     REAL NOT NULL,
    via           TEXT NOT NULL,       -- password | mfa:<method> | device | sso
    ended_at      REAL,
    ended_reason  TEXT                 -- logout | expired | replaced | fault
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user_id, ended_at);

CREATE TABLE IF NOT EXISTS remembered_devices (
    id          TEXT PRIMARY KEY,      -- sha256 of the device cookie's token
    user_id     INTEGER NOT NULL REFERENCES users(id),
    created_at  REAL NOT NULL,
    expires_at  REAL NOT NULL
);

CREATE TABLE IF NOT EXISTS mfa_challenges (
    id            TEXT PRIMARY KEY,    -- sha256 of the pending-MFA cookie's token
    user_id       INTEGER NOT NULL REFERENCES users(id),
    method        TEXT NOT NULL,
    code_hash     TEXT,                -- email/SMS: sha256 of the sent code; TOTP: NULL
    code_sent_at  REAL,
    sends         INTEGER NOT NULL DEFAULT 0,
    created_at    REAL NOT NULL,
    expires_at    REAL NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    consumed_at   REAL,
    next_url      TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS auth_events (
    id        INTEGER PRIMARY KEY,
    at        REAL NOT NULL,
    username  TEXT NOT NULL,
    event     TEXT NOT NULL,           -- login_failed | locked | mfa_sent | mfa_failed | login
    detail    TEXT NOT NULL DEFAULT ''
);

CREATE TABLE IF NOT EXISTS sms_messages (
    sid           TEXT PRIMARY KEY,    -- SM + 32 hex, as Twilio
    account_sid   TEXT NOT NULL,
    to_number     TEXT NOT NULL,
    from_number   TEXT NOT NULL,
    body          TEXT NOT NULL,
    date_created  REAL NOT NULL,
    status        TEXT NOT NULL DEFAULT 'delivered',
    direction     TEXT NOT NULL DEFAULT 'outbound-api'
);
CREATE INDEX IF NOT EXISTS sms_by_date ON sms_messages(account_sid, date_created);

CREATE TABLE IF NOT EXISTS idp_users (
    id              INTEGER PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE,
    display_name    TEXT NOT NULL,
    email           TEXT NOT NULL,
    subject         TEXT NOT NULL UNIQUE,
    password_hash   TEXT NOT NULL,
    totp_secret     TEXT NOT NULL,
    totp_last_step  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE IF NOT EXISTS idp_sessions (
    id           TEXT PRIMARY KEY,     -- sha256 of the IdP session cookie's token
    idp_user_id  INTEGER NOT NULL REFERENCES idp_users(id),
    created_at   REAL NOT NULL
);

CREATE TABLE IF NOT EXISTS idp_requests (
    id            TEXT PRIMARY KEY,    -- an authorization request waiting for login + MFA
    client_id     TEXT NOT NULL,
    redirect_uri  TEXT NOT NULL,
    state         TEXT NOT NULL,
    nonce         TEXT,
    created_at    REAL NOT NULL,
    idp_user_id   INTEGER REFERENCES idp_users(id),  -- set once the password was right
    completed_at  REAL
);

CREATE TABLE IF NOT EXISTS idp_codes (
    id            TEXT PRIMARY KEY,    -- sha256 of the authorization code
    idp_user_id   INTEGER NOT NULL REFERENCES idp_users(id),
    client_id     TEXT NOT NULL,
    redirect_uri  TEXT NOT NULL,
    nonce         TEXT,
    created_at    REAL NOT NULL,
    expires_at    REAL NOT NULL,
    used_at       REAL
);

CREATE TABLE IF NOT EXISTS sso_states (
    state       TEXT PRIMARY KEY,
    next_url    TEXT NOT NULL,
    created_at  REAL NOT NULL,
    used_at     REAL
);
"""
