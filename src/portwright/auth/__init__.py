"""Logging in like a careful person: credentials, second factors and saved sessions.

* ``credentials``: resolve ``secrets.<portal>.<name>`` from the environment or an
  encrypted file; the engine's templating asks it at the last moment.
* ``mfa``: one module per second factor (TOTP, emailed code, SMS code), each a source
  that produces a fresh code for one account.
* ``sessions``: the browser storage state of a logged-in account, saved encrypted and
  reused across runs and processes, guarded by a cross-process lock.
"""

from __future__ import annotations
