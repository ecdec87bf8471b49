"""Files and pictures sent in chats: what is kept of them, and which of them are shown as pictures."""

from __future__ import annotations

import base64
import re

from .. import validation
from .models import MessageFile

# Pictures are told by their first bytes, not by the name or the type the browser claims: only these
# are shown inline, so a page or script renamed «фото.png» is never served as one.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
_MIME = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}")
OTHER = "application/octet-stream"


def picture_type(data: bytes) -> str | None:
    """image/png, image/jpeg, image/gif or image/webp when the bytes are one; None otherwise."""
    for signature, content_type in _SIGNATURES:
        if data.startswith(signature):
            return content_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def message_file(name: object, declared_type: str, data: bytes, field: str = "file") -> MessageFile:
    """A file to keep with a message; ValidationError (shown at `field`) for a nameless, empty or too big one."""
    name = validation.file_name(name, field)
    validation.file_size(len(data), field)
    declared = declared_type.split(";")[0].strip().lower()
    # What claims to be a picture and is not one is a file to download.
    honest = _MIME.fullmatch(declared) is not None and not declared.startswith("image/")
    content_type = picture_type(data) or (declared if honest else OTHER)
    return MessageFile(name, len(data), content_type, base64.b64encode(data).decode("ascii"))


def content(file: MessageFile) -> bytes:
    return base64.b64decode(file.data)
