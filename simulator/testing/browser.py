"""Which Chromium to launch, the flags that keep it on this machine's loopback, and the ffmpeg videos need."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
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


# Where Playwright looks for the ffmpeg it records videos with: `<browsers dir>/ffmpeg-<revision>/<name>`, no
# setting names another. Its `playwright install` downloads one there; a system's or a Python package's
# ffmpeg linked there serves as well (Playwright pipes JPEG frames in Matroska to it and asks for VP9 WebM).
FFMPEG_NAMES = {"linux": "ffmpeg-linux", "darwin": "ffmpeg-mac", "win32": "ffmpeg-win64.exe"}
NO_FFMPEG = (
    "для записи видео (--video) нужен ffmpeg, а его нет. Установите любой из них:\n"
    "  apt-get install ffmpeg            (ffmpeg системы)\n"
    "  pip install imageio-ffmpeg        (ffmpeg пакетом Python; или pip install 'sferum_sim-….whl[video]')\n"
    "  python -m playwright install ffmpeg"
)


class VideoError(RuntimeError):
    """Videos cannot be recorded: the message says what to install."""


def playwright_ffmpeg() -> Path:
    """The path the installed Playwright runs ffmpeg from (asked, as the revision comes with Playwright)."""
    answer = subprocess.run(
        [sys.executable, "-m", "playwright", "install", "--dry-run", "ffmpeg"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    location = next(
        (line.split(":", 1)[1].strip() for line in answer.splitlines() if line.strip().startswith("Install location:")),
        None,
    )
    if location is None:
        raise VideoError(f"Playwright не назвал, где ищет ffmpeg:\n{answer}")
    return Path(location) / FFMPEG_NAMES.get(sys.platform, "ffmpeg-linux")


def available_ffmpeg() -> str | None:
    """An ffmpeg of this machine: the system's on $PATH, else the imageio-ffmpeg package's."""
    found = shutil.which("ffmpeg")
    if found:
        return found
    if importlib.util.find_spec("imageio_ffmpeg") is not None:
        import imageio_ffmpeg  # type: ignore[import-not-found, unused-ignore]

        return str(imageio_ffmpeg.get_ffmpeg_exe())
    return None


def ensure_video_ffmpeg() -> str | None:
    """Makes Playwright's ffmpeg path lead to an ffmpeg; returns a note of what was linked (None: it had one)."""
    target = playwright_ffmpeg()
    if os.access(target, os.X_OK):
        return None
    found = available_ffmpeg()
    if found is None:
        raise VideoError(NO_FFMPEG)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # A link made beside the target and renamed over it: workers of one run may do this at once.
        temporary = target.with_name(f"{target.name}.{os.getpid()}")
        temporary.unlink(missing_ok=True)
        temporary.symlink_to(found)
        temporary.replace(target)
    except OSError as error:
        raise VideoError(f"ffmpeg {found} не связать с {target}, где его ищет Playwright: {error}") from error
    return f"sferum-sim: видео записывает ffmpeg {found} (связан с {target}, где его ищет Playwright)"
