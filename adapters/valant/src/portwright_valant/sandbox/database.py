"""Preparing the sandbox database: create and seed a new file, or reopen an existing one.

Reopening keeps what earlier runs wrote (``--db PATH``), as a real portal keeps its
data across restarts; a new file gets the schema, the seed and the auth accounts.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path

from portwright_valant.sandbox.auth import AUTH_SCHEMA_SQL, seed_accounts
from portwright_valant.sandbox.config import SandboxConfig
from portwright_valant.sandbox.db import create_schema, open_database
from portwright_valant.sandbox.seed import seed_database

__all__ = ["prepare_database"]


def _is_seeded(conn: sqlite3.Connection) -> bool:
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'seed'").fetchone()
    except sqlite3.OperationalError:
        return False
    return row is not None


def prepare_database(config: SandboxConfig) -> Path:
    """The database file for ``config``, created and seeded if it is new.

    Without ``db_path`` the file goes into a new temporary folder (the caller removes it
    when done); if preparing fails or is interrupted (Ctrl-C, SIGTERM while seeding) the
    folder is removed here, as no caller has it yet.
    """
    if config.db_path is None:
        folder = Path(tempfile.mkdtemp(prefix="valant-sandbox-"))
        try:
            return _prepare(folder / "valant.sqlite3", config)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
    config.db_path.parent.mkdir(parents=True, exist_ok=True)
    return _prepare(config.db_path, config)


def _prepare(path: Path, config: SandboxConfig) -> Path:
    conn = open_database(path)
    try:
        if not _is_seeded(conn):
            create_schema(conn)
            conn.executescript(AUTH_SCHEMA_SQL)
            seed_database(conn, config)
            with conn:
                seed_accounts(conn, config)
        else:
            conn.executescript(AUTH_SCHEMA_SQL)
    finally:
        conn.close()
    return path
