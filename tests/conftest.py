"""Shared fixtures: the loopback HTTP server, and a guard that keeps tests off the network."""

from __future__ import annotations

import ipaddress
import os
import socket
import stat
import sys
import webbrowser
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.loopback import SITE_ROOT, LoopbackServer

# Tests talk to 127.0.0.1 only. A proxy from the developer's environment would carry loopback
# requests (and the deliberate DNS failures) off the machine, so none is used in tests or in
# the subprocesses they start.
for _name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
    os.environ.pop(_name, None)
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost,::1"

_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


def _needs_no_network(host: object) -> bool:
    """Whether resolving `host` stays on this machine: loopback names and IP literals."""
    if host is None:
        return True
    name = host.decode() if isinstance(host, bytes) else str(host)
    name = name.rstrip(".").lower()
    if name in _LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(name.split("%")[0])
    except ValueError:
        return False
    return True


@pytest.fixture(autouse=True, scope="session")
def _no_dns_off_the_machine() -> Iterator[None]:
    """Fail every other name lookup as "not found", so no DNS query leaves the machine.

    Reserved names such as `newsterm-test.invalid` never resolve anyway (RFC 6761), but
    glibc would still ask the configured resolver; this answers for it, instantly.
    """
    real_getaddrinfo = socket.getaddrinfo

    def guarded(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not _needs_no_network(host):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known (test guard)")
        return real_getaddrinfo(host, *args, **kwargs)

    socket.getaddrinfo = guarded
    try:
        yield
    finally:
        socket.getaddrinfo = real_getaddrinfo


@pytest.fixture
def loopback() -> Iterator[LoopbackServer]:
    """A fresh loopback server for one test: the fixture site (links rewritten) plus routes."""
    server = LoopbackServer(SITE_ROOT, rewrite_host=True).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def site_server() -> Iterator[LoopbackServer]:
    """The fixture site on one server shared by the whole session; do not add routes to it."""
    server = LoopbackServer(SITE_ROOT, rewrite_host=True).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def recording_browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A BROWSER command that records its argv as JSON, one line per run."""
    record = tmp_path / "argv.jsonl"
    script = tmp_path / "record-browser"
    script.write_text(
        f"#!{sys.executable}\n"
        "import json, sys\n"
        f"open({str(record)!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("BROWSER", f"{script} %s")
    # webbrowser reads BROWSER once, on first use: make it read ours.
    monkeypatch.setattr(webbrowser, "_tryorder", None)
    monkeypatch.setattr(webbrowser, "_browsers", {})
    monkeypatch.setattr(webbrowser, "_os_preferred_browser", None, raising=False)
    return record
