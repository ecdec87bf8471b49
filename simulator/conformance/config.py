"""What `sferum-sim conformance` is told: the command line, a TOML file of the same names, per-outcome overrides.

The file's keys are the options' long names with `_` for `-` (`journal_url`, `client_id`, …); the command
line wins over the file. `[outcomes.O13]` tables override one outcome: `skip = true`, `delay` (seconds
VK ID stays silent in O13). Everything wrong here is a ConfigError whose message says, in Russian, what
to fix; the command then exits 2.
"""

from __future__ import annotations

import argparse
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .outcomes import BY_ID

DEFAULT_LOGIN = "Войти через VK ID"
DEFAULT_SIGNED_IN = "{first_name} {last_name}"
DEFAULT_LOGOUT = "Выйти"
# Words a journal's error page holds in Russian or English: "an error shown", when its status is not 4xx/5xx.
DEFAULT_ERROR_TEXT = r"ошиб|не удалось|невозможно|отказ|отмен|не относится|error|denied|failed|invalid"
DEFAULT_SIM_PORT = 8780
OVERRIDES: dict[str, type | tuple[type, ...]] = {"skip": bool, "delay": (int, float)}
KEYS = {
    "journal_url",
    "client_id",
    "redirect_uri",
    "sim_url",
    "sim_port",
    "login",
    "signed_in",
    "logout",
    "error_text",
    "only",
    "report_dir",
    "headed",
    "service_name",
    "outcomes",
}


class ConfigError(ValueError):
    """The configuration cannot be used; the message says what to fix."""


@dataclass
class Config:
    journal_url: str
    client_id: str
    redirect_uri: str
    sim_url: str | None = None
    sim_port: int = DEFAULT_SIM_PORT
    login: str = DEFAULT_LOGIN
    signed_in: str = DEFAULT_SIGNED_IN
    logout: str = DEFAULT_LOGOUT
    error_text: str = DEFAULT_ERROR_TEXT
    only: tuple[str, ...] = ()
    report_dir: Path = Path("conformance-report")
    headed: bool = False
    service_name: str = "Проверяемый журнал"
    overrides: dict[str, dict[str, Any]] = field(default_factory=dict)

    def skipped(self, outcome_id: str) -> bool:
        return bool(self.overrides.get(outcome_id, {}).get("skip")) or bool(self.only and outcome_id not in self.only)

    def override(self, outcome_id: str, name: str, default: float) -> float:
        return float(self.overrides.get(outcome_id, {}).get(name, default))


def _read_file(path: str) -> dict[str, Any]:
    try:
        with open(path, "rb") as file:
            document = tomllib.load(file)
    except OSError as error:
        raise ConfigError(f"Файл настроек {path} не прочитан: {error.strerror}. Проверьте путь в --config.") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"Файл настроек {path} — не TOML: {error}. Исправьте его синтаксис.") from None
    unknown = sorted(set(document) - KEYS)
    if unknown:
        raise ConfigError(f"В файле {path} неизвестный ключ «{unknown[0]}»; допустимы: {', '.join(sorted(KEYS))}.")
    return document


def _url(name: str, value: object) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"Не задан --{name.replace('_', '-')}: укажите его в командной строке или в файле --config.")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c in value for c in " \r\n\t"):
        raise ConfigError(f"--{name.replace('_', '-')} «{value}» — не адрес http(s)://…; укажите полный адрес.")
    return value


def _text(name: str, value: object) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > 500:
        raise ConfigError(f"--{name.replace('_', '-')} должен быть непустым текстом до 500 символов.")
    return value


def _overrides(value: object) -> dict[str, dict[str, Any]]:
    if not isinstance(value, dict):
        raise ConfigError("[outcomes] в файле настроек должен быть таблицей вида [outcomes.O13].")
    checked: dict[str, dict[str, Any]] = {}
    for outcome_id, table in value.items():
        if outcome_id not in BY_ID:
            raise ConfigError(f"[outcomes.{outcome_id}]: такого исхода нет; есть {', '.join(BY_ID)}.")
        if not isinstance(table, dict):
            raise ConfigError(f"[outcomes.{outcome_id}] должен быть таблицей.")
        for key, item in table.items():
            kind = OVERRIDES.get(key)
            out_of_range = key == "delay" and isinstance(item, int | float) and not 0 <= item <= 60
            if kind is None or not isinstance(item, kind) or out_of_range:
                raise ConfigError(
                    f"[outcomes.{outcome_id}] {key} = {item!r}: допустимы skip = true|false и delay = 0…60 (секунды)."
                )
        checked[outcome_id] = dict(table)
    return checked


def _only(value: object) -> tuple[str, ...]:
    names = value.split(",") if isinstance(value, str) else value
    if not isinstance(names, list | tuple):
        raise ConfigError("--only — список исходов через запятую, например O01,O05.")
    chosen = tuple(str(name).strip().upper() for name in names if str(name).strip())
    unknown = [name for name in chosen if name not in BY_ID]
    if unknown:
        raise ConfigError(f"--only: исхода {unknown[0]} нет; есть {', '.join(BY_ID)}.")
    return chosen


def load(args: argparse.Namespace) -> Config:
    """The command line over the --config file, every value checked."""
    given: dict[str, Any] = _read_file(args.config) if getattr(args, "config", None) else {}
    for name in KEYS - {"outcomes"}:
        value = getattr(args, name, None)
        if value is not None and value is not False:
            given[name] = value
    sim_port = given.get("sim_port", DEFAULT_SIM_PORT)
    if isinstance(sim_port, bool) or not isinstance(sim_port, int) or not 0 <= sim_port <= 65535:
        raise ConfigError("--sim-port — номер порта от 0 до 65535.")
    error_text = _text("error_text", given.get("error_text", DEFAULT_ERROR_TEXT))
    try:
        re.compile(error_text)
    except re.error as error:
        raise ConfigError(f"--error-text — не регулярное выражение: {error}.") from None
    signed_in = _text("signed_in", given.get("signed_in", DEFAULT_SIGNED_IN))
    try:
        signed_in.format(first_name="", last_name="")
    except (KeyError, IndexError, ValueError):
        raise ConfigError("--signed-in может подставлять только {first_name} и {last_name}.") from None
    return Config(
        journal_url=_url("journal_url", given.get("journal_url")),
        client_id=_text("client_id", given.get("client_id")),
        redirect_uri=_url("redirect_uri", given.get("redirect_uri")),
        sim_url=_url("sim_url", given["sim_url"]) if given.get("sim_url") else None,
        sim_port=sim_port,
        login=_text("login", given.get("login", DEFAULT_LOGIN)),
        signed_in=signed_in,
        logout=_text("logout", given.get("logout", DEFAULT_LOGOUT)),
        error_text=error_text,
        only=_only(given.get("only", ())),
        report_dir=Path(str(given.get("report_dir", "conformance-report"))),
        headed=bool(given.get("headed", False)),
        service_name=_text("service_name", given.get("service_name", "Проверяемый журнал")),
        overrides=_overrides(given.get("outcomes", {})),
    )
