"""Running a sandbox on a free loopback port in a background thread (tests, CLI, demo).

The listening socket is bound when the ``SandboxServer`` is built, before the database
is prepared: a taken port fails at once with ``OSError`` (``EADDRINUSE``), not after
seeding, and ``--port 0`` knows its port without a bind-release-rebind race. uvicorn
serves that socket. ``start`` runs it in its own thread and event loop and waits on the
server's ``started`` flag (no sleeping on a guess); ``serve_forever`` runs it in the
calling thread and calls ``on_ready`` once it accepts connections; ``stop`` joins the
thread and closes the socket.
"""

from __future__ import annotations

import shutil
import socket
import threading
import weakref
from collections.abc import Callable
from dataclasses import replace
from types import TracebackType

import uvicorn

from portwright_valant.sandbox.app import create_app
from portwright_valant.sandbox.config import SandboxConfig
from portwright_valant.sandbox.state import SandboxState

__all__ = ["SandboxServer", "free_port", "listening_socket"]


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` (0: any free port) and listening; connections queue
    in its backlog until the server accepts them. ``OSError`` if the address is taken."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(family, kind, proto)
    try:
        # as uvicorn does: a port in TIME_WAIT is reusable, one with a listener is not
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    return sock


class _Server(uvicorn.Server):
    """uvicorn's server, telling ``on_started`` once it accepts connections."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.on_started: Callable[[], None] | None = None

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started and self.on_started is not None:
            self.on_started()


class SandboxServer:
    """One sandbox served by uvicorn; use as a context manager or call start/stop."""

    def __init__(self, config: SandboxConfig, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self._socket = listening_socket(host, port)
        try:
            self.port: int = self._socket.getsockname()[1]
            self.config = replace(config, base_url=f"http://{host}:{self.port}")
            self.app = create_app(self.config)
        except BaseException:
            self._socket.close()
            raise
        self.state: SandboxState = self.app.state.sandbox
        #: a database the sandbox created in a temp folder is removed on stop, or at the
        #: latest when this object is collected or the interpreter exits (an interrupt
        #: between building and serving never reaches ``stop``)
        self._remove_db: weakref.finalize[..., SandboxServer] | None = (
            weakref.finalize(self, shutil.rmtree, self.state.db_path.parent,
                             ignore_errors=True)
            if config.db_path is None else None)
        self._server = _Server(uvicorn.Config(
            self.app, host=host, port=self.port, log_level="warning", access_log=False,
            lifespan="off",
        ))
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return self.config.base_url

    def start(self, timeout_s: float = 15.0) -> SandboxServer:
        self._thread = threading.Thread(target=self._server.run, args=([self._socket],),
                                        name="valant-sandbox", daemon=True)
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

    def serve_forever(self, on_ready: Callable[[], None] | None = None) -> None:
        """Run in the calling thread until interrupted (the CLI); ``on_ready`` is called
        once the server accepts connections (the CLI prints its banner there)."""
        self._server.on_started = on_ready
        try:
            self._server.run(sockets=[self._socket])
        finally:
            self.stop()

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        self._socket.close()
        if self._remove_db is not None:
            self._remove_db()  # runs once: later calls do nothing

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
