"""Which Chromium to launch, and the flags that keep it on this machine's loopback."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

# Debian's /usr/bin/chromium is a shell wrapper; the real binary sits beside its libraries.
SYSTEM_CHROMIUMS = ("/usr/lib/chromium/chromium", "chromium", "chromium-browser", "google-chrome")
ENV = "SFERUM_SIM_CHROMIUM"


def system_chromium() -> str | None:
    """$SFERUM_SIM_CHROMIUM, else the first Chromium found on the system."""
    if os.environ.get(ENV):
        return os.environ[ENV]
    for candidate in SYSTEM_CHROMIUMS:
        found = candidate if Path(candidate).is_file() else shutil.which(candidate)
        if found:
            return found
    return None


def chromium_args(
    extra_hosts: tuple[str, ...] = (), *, target: str = "127.0.0.1", spki: str | None = None
) -> list[str]:
    """No background traffic, and every name but the simulator's resolves to nothing.

    `extra_hosts` are real host names (id.vk.com, …) to send to `target` — the loopback, or the
    simulator's HTTPS listener as "127.0.0.1:PORT" (Chromium then connects there for any port).
    `spki` is that listener's key hash: Chromium trusts exactly that self-signed certificate.
    """
    rules = ["MAP * ~NOTFOUND", "EXCLUDE localhost", "EXCLUDE *.localhost", "EXCLUDE 127.0.0.1"]
    rules = [f"MAP {host} {target}" for host in extra_hosts] + rules
    trust = [f"--ignore-certificate-errors-spki-list={spki}"] if spki else []
    return [
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        f"--host-resolver-rules={', '.join(rules)}",
        *trust,
    ]
