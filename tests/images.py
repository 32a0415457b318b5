"""Real image files made with Pillow, so no test needs a file from outside the repository."""

from __future__ import annotations

import io
from functools import lru_cache

from PIL import Image

PHOTO_SIZE = (849, 565)


@lru_cache(maxsize=8)
def jpeg_bytes(size: tuple[int, int] = PHOTO_SIZE) -> bytes:
    """A photo-like JPEG (a colour gradient, so it compresses like a photo, not like a flat fill)."""
    width, height = size
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    image.paste(
        Image.radial_gradient("L").resize((width // 2, height // 2)).convert("RGB"), (width // 4, height // 4)
    )
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()
