"""Helpers for tests that start `truenorth serve` as a real process."""

import socket
import subprocess
import time
from http.client import HTTPConnection
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_listening(process: subprocess.Popen, port: int, log: Path, seconds: float) -> None:
    """Return once the server answers a request; fail with its log if it dies or is too slow.

    A request, not just a connection: gunicorn's master accepts connections as soon as it binds,
    while its workers may still be importing Django, and on a busy machine that takes longer
    than a test's first page load would wait.
    """
    deadline = time.monotonic() + seconds
    while True:
        assert process.poll() is None, log.read_text()
        try:
            connection = HTTPConnection(
                "127.0.0.1", port, timeout=max(1, deadline - time.monotonic())
            )
            connection.request("GET", "/login/")
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)


def log_once_it_holds(log: Path, line: str, seconds: float = 20) -> str:
    """The server's log once `line` is in it, or as it is after `seconds`.

    A worker writes its access log line just after answering, and with two workers the line
    for one request may come after the answer to a later one on the other worker.
    """
    deadline = time.monotonic() + seconds
    while line not in (output := log.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return output
