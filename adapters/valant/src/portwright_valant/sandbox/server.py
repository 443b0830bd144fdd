"""Running a sandbox on a free loopback port in a background thread (tests, CLI, demo).

uvicorn's ``Server`` runs in its own thread and event loop; ``start`` waits on the
server's ``started`` flag (no sleeping on a guess) and ``stop`` joins the thread.
"""

from __future__ import annotations

import shutil
import socket
import threading
from dataclasses import replace
from types import TracebackType

import uvicorn

from portwright_valant.sandbox.app import create_app
from portwright_valant.sandbox.config import SandboxConfig
from portwright_valant.sandbox.state import SandboxState

__all__ = ["SandboxServer", "free_port"]


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


class SandboxServer:
    """One sandbox served by uvicorn; use as a context manager or call start/stop."""

    def __init__(self, config: SandboxConfig, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self.port = port or free_port(host)
        self.config = replace(config, base_url=f"http://{host}:{self.port}")
        self.app = create_app(self.config)
        self.state: SandboxState = self.app.state.sandbox
        #: a database the sandbox created in a temp folder is removed on stop
        self._owns_db = config.db_path is None
        self._server = uvicorn.Server(uvicorn.Config(
            self.app, host=host, port=self.port, log_level="warning", access_log=False,
            lifespan="off",
        ))
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return self.config.base_url

    def start(self, timeout_s: float = 15.0) -> SandboxServer:
        self._thread = threading.Thread(target=self._server.run, name="valant-sandbox",
                                        daemon=True)
        self._thread.start()
        ready = threading.Event()

        def watch() -> None:
            while self._thread is not None and self._thread.is_alive():
                if self._server.started:
                    ready.set()
                    return
                ready.wait(0.01)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        if not ready.wait(timeout_s):
            self.stop()
            raise RuntimeError(f"sandbox did not start on {self.host}:{self.port}")
        return self

    def serve_forever(self) -> None:
        """Run in the calling thread until interrupted (the CLI)."""
        try:
            self._server.run()
        finally:
            self.stop()

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        if self._owns_db:
            shutil.rmtree(self.state.db_path.parent, ignore_errors=True)
            self._owns_db = False

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
