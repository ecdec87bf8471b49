"""Where МАХ is downloaded from: the stores for phones and the installers for computers, each a page of its own.

Simulated pages on МАХ's own origin: nothing leaves the simulator, and «Открыть МАХ» opens МАХ's
sign-in here, which stands for the installed app.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Download:
    slug: str  # /download/<slug>
    label: str  # the link on «Скачать МАХ»
    title: str  # the page's heading
    kind: str  # store | desktop
    how: str  # what the user does there


DOWNLOADS = (
    Download("rustore", "RuStore", "МАХ в RuStore", "store", "Нажмите «Установить» в RuStore на телефоне с Android."),
    Download(
        "app-store", "App Store", "МАХ в App Store", "store", "Нажмите «Загрузить» в App Store на iPhone или iPad."
    ),
    Download("google-play", "Google Play", "МАХ в Google Play", "store", "Нажмите «Установить» в Google Play."),
    Download(
        "windows",
        "Windows",
        "МАХ для Windows",
        "desktop",
        "Скачайте установщик MAX-Setup.exe, откройте его и следуйте указаниям.",
    ),
    Download(
        "macos",
        "macOS",
        "МАХ для macOS",
        "desktop",
        "Скачайте файл MAX.dmg, откройте его и перетащите МАХ в папку «Программы».",
    ),
)
BY_SLUG = {download.slug: download for download in DOWNLOADS}
