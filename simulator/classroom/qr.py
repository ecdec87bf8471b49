"""The seats' links as QR codes: a trainee scans the one the trainer shows instead of typing the link.

segno (pure Python) draws them as SVG: dark modules on white with the four-module quiet zone the standard
asks for, so a phone's camera reads them from a projector or a printed sheet. Error correction M: a link
of ~60 characters fits a version 4 code, coarse enough to read from the back of a room.
"""

from __future__ import annotations

import io


def svg(link: str, *, scale: int = 8) -> bytes:
    """A standalone SVG image (with its namespace, for <img> and downloads) of the QR code of `link`."""
    import segno  # here, not at import: `serve` (the container's command) never draws one

    code = segno.make(link, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="svg", scale=scale, border=4, dark="#000", light="#fff", xmldecl=False, title=link)
    return out.getvalue()
