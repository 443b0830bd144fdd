"""The Valant sandbox in a child process, as a real portal would run: an in-process
sandbox thread would compete with the code being measured for the GIL."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

__all__ = ["sandbox_process"]


@contextmanager
def sandbox_process(ui_version: str = "2025.4", patients: int = 50) -> Iterator[str]:
    """`portwright sandbox valant` in a child process; yields its URL once it answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = Path(sys.executable).parent / "portwright"
    proc = subprocess.Popen(
        [str(exe), "sandbox", "valant", "--port", str(port), "--patients", str(patients),
         "--ui-version", ui_version],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/login", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the sandbox did not start")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)
