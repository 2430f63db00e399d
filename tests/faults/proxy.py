"""A TCP proxy in front of PostgreSQL that a fault test can cut and restore.

The processes under test connect to the proxy's port; the proxy forwards each connection
to the real server. ``cut()`` behaves as a server that went away: every open connection is
closed on both sides (the server rolls back whatever transaction it carried) and the port
refuses new connections. ``restore()`` listens again on the same port. The shared server
itself is never touched.
"""

from __future__ import annotations

import contextlib
import socket
import threading


class TcpProxy:
    """Forward 127.0.0.1:<port> to ``target``; ``cut()`` / ``restore()`` the link."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._listener: socket.socket | None = None
        self.port = 0
        self.accepted = 0
        self._silent = False

    # ---------------------------------------------------------------- lifecycle
    def start(self) -> TcpProxy:
        self._listen()
        return self

    def stop(self) -> None:
        self.cut()

    def __enter__(self) -> TcpProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def cut(self) -> None:
        """Refuse new connections and drop every open one, as a stopped server does."""
        with self._lock:
            listener, self._listener = self._listener, None
            sockets, self._open = self._open, set()
        if listener is not None:
            # shutdown() wakes the thread blocked in accept() (Linux), so that the port is
            # really closed (refusing) and free to listen on again.
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def blackhole(self) -> None:
        """Drop every open connection; new ones are accepted and never answered (a server
        host that went silent rather than one that refuses)."""
        self.cut()
        self._silent = True
        self._listen()

    def restore(self) -> None:
        """Forward connections again, on the same port."""
        if self._silent:
            self.cut()
            self._silent = False
        self._listen()

    # ---------------------------------------------------------------- internals
    def _listen(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        with self._lock:
            self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:  # closed by cut()
                return
            if self._silent:  # held open, never answered, dropped at restore
                with self._lock:
                    self._open.add(client)
                continue
            try:
                server = socket.create_connection(self.target, timeout=5)
                server.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                if self._listener is not listener:  # cut while connecting
                    client.close()
                    server.close()
                    continue
                self._open.update((client, server))
                self.accepted += 1
            for src, dst in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(src, dst), daemon=True).start()

    def _pipe(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            src.close()  # the other direction's thread closes dst
            with self._lock:
                self._open.discard(src)
                self._open.discard(dst)
