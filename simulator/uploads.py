"""A form that may carry one file (multipart/form-data), read within bounds as it arrives.

The simulator's other forms are refused above 64 KiB before they are read; a chat message may carry a
file or picture up to `validation.FILE_MAX`, so its form is read part by part here instead, and a
file over the limit is refused as soon as it passes it, never held whole.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import BodyPartReader, web

from . import validation
from . import web as sim
from .validation import ValidationError

FIELDS_MAX = 64 * 1024  # all the text fields together, as the simulator's other forms
PARTS_MAX = 32
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Upload:
    """The file a form carried: its name and type as the browser gave them, and its bytes."""

    filename: str
    content_type: str
    data: bytes


@dataclass
class FileForm:
    fields: dict[str, str]
    upload: Upload | None = None
    error: ValidationError | None = None  # the file was refused (too big, a second one): shown at the field


async def file_form(request: web.Request, name: str = "file") -> FileForm:
    """The posted text fields and the file in field `name`; any other encoding is read as an ordinary form.

    sim.UnreadableForm if the body is not the multipart form it claims to be.
    """
    if request.content_type != "multipart/form-data":
        return FileForm(await sim.form(request))
    try:
        return await _read(request, name)
    except sim.UNREADABLE_BODY as error:  # a part's broken headers too: aiohttp parses them in reader.next()
        raise sim.unreadable(error) from None


async def _read(request: web.Request, name: str) -> FileForm:
    form = FileForm({})
    reader = await request.multipart()
    text_bytes = 0
    for _ in range(PARTS_MAX):
        part = await reader.next()
        if part is None:
            return form
        if not isinstance(part, BodyPartReader):
            raise ValueError("a nested multipart body is not a form")
        if part.filename is None:  # a text field
            raw = await _bounded(part, FIELDS_MAX - text_bytes)
            if raw is None:  # answered as any form over the limit: 413 and the limit, in Russian
                raise web.HTTPRequestEntityTooLarge(max_size=FIELDS_MAX, actual_size=FIELDS_MAX + 1)
            text_bytes += len(raw)
            if part.name is not None and part.name not in form.fields:
                form.fields[part.name] = raw.decode(part.get_charset(default="utf-8"))
            continue
        if part.name != name or form.error is not None:
            await part.release()
            continue
        data = await _bounded(part, validation.FILE_MAX)
        if data is None:
            form.error = ValidationError(name, validation.FILE_TOO_LARGE)
            continue
        if not part.filename and not data:
            continue  # «Прикрепить файл» left empty: the browser sends an empty part without a name
        if form.upload is not None:
            form.upload, form.error = None, ValidationError(name, "Можно прикрепить только один файл")
            continue
        declared = part.headers.get("Content-Type", "application/octet-stream")
        form.upload = Upload(part.filename, declared, data)
    raise ValueError(f"more than {PARTS_MAX} parts in a form")


async def _bounded(part: BodyPartReader, limit: int) -> bytes | None:
    """The part's bytes, or None once they pass `limit` (the rest is skipped unread into memory)."""
    data = bytearray()
    while chunk := await part.read_chunk(CHUNK):
        data += chunk
        if len(data) > limit:
            await part.release()
            return None
    return bytes(data)
