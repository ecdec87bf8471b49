"""Which Chromium to launch, and the flags that keep it on this machine's loopback."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

# Debian's /usr/bin/chromium is a shell wrapper; the real binary sits beside its libraries.
SYSTEM_CHROMIUMS = ("/usr/lib/chromium/chromium", "chromium", "chromium-browser", "google-chrome")
# Chromium's headless shell (Debian's `chromium-headless-shell`, same version): no window, no GPU process,
# starts and renders faster. For headless runs only; a window (--headed, replay, guides) needs full Chromium.
SYSTEM_SHELLS = ("/usr/lib/chromium/chromium-headless-shell", "chromium-headless-shell")
ENV = "SFERUM_SIM_CHROMIUM"
# --sim-browser: auto = the headless shell when the run is headless and the shell is installed.
KINDS = ("auto", "shell", "full")


def installed(candidate: str) -> str | None:
    """A binary's path when it exists: an absolute path as is, a name looked up on $PATH."""
    if candidate.startswith("/"):
        return candidate if Path(candidate).is_file() else None
    return shutil.which(candidate)


def system_chromium(*, headless: bool = False, kind: str = "auto") -> str | None:
    """$SFERUM_SIM_CHROMIUM, else the system's Chromium of that kind: None when there is none.

    kind "auto" is the headless shell for a headless run when it is installed, full Chromium otherwise;
    "shell" is only the headless shell, "full" only full Chromium. Without `headless`, auto means full.
    """
    if kind not in KINDS:
        raise ValueError(f"browser kind {kind!r}: one of {', '.join(KINDS)}")
    if os.environ.get(ENV):
        return os.environ[ENV]
    shells = SYSTEM_SHELLS if kind == "shell" or (kind == "auto" and headless) else ()
    fulls = SYSTEM_CHROMIUMS if kind != "shell" else ()
    return next((found for candidate in (*shells, *fulls) if (found := installed(candidate))), None)


def chromium_args(
    extra_hosts: tuple[str, ...] = (),
    *,
    target: str = "127.0.0.1",
    spki: str | None = None,
    relying_parties: Mapping[str, str] | None = None,
) -> list[str]:
    """No background traffic, and every name but the simulator's resolves to nothing.

    `extra_hosts` are real host names (id.vk.com, …) to send to `target` — the loopback, or the
    simulator's HTTPS listener as "127.0.0.1:PORT" (Chromium then connects there for any port).
    `spki` is that listener's key hash: Chromium trusts exactly that self-signed certificate.
    `relying_parties` maps port-less names to a plain-HTTP server's "127.0.0.1:PORT": the page is at
    http://NAME/ and counts as a secure context, as it would over HTTPS in production. The web SDK needs
    both: it keeps its PKCE verifier in a Secure cookie whose domain is the page's host *with* its port,
    which no browser accepts for rp.localhost:PORT (and *.localhost names cannot be remapped here).
    """
    parties = dict(relying_parties or {})
    rules = ["MAP * ~NOTFOUND", "EXCLUDE localhost", "EXCLUDE *.localhost", "EXCLUDE 127.0.0.1"]
    rules = [f"MAP {host} {target}" for host in extra_hosts] + [f"MAP {n} {t}" for n, t in parties.items()] + rules
    trust = [f"--ignore-certificate-errors-spki-list={spki}"] if spki else []
    secure = (
        [f"--unsafely-treat-insecure-origin-as-secure={','.join(f'http://{n}' for n in parties)}"] if parties else []
    )
    return [
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        f"--host-resolver-rules={', '.join(rules)}",
        *trust,
        *secure,
    ]
