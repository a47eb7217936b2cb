"""Degradations of a clean page image, as a phone or a tired scanner would produce them."""

from __future__ import annotations

import io
import random

import cv2
import numpy as np
from PIL import Image, ImageFilter


def skew(img: Image.Image, rng: random.Random) -> Image.Image:
    angle = rng.uniform(2.0, 5.0) * rng.choice((-1, 1))
    return img.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=(255, 255, 255))


def rot90(img: Image.Image, rng: random.Random) -> Image.Image:
    return img.transpose(rng.choice((Image.Transpose.ROTATE_90, Image.Transpose.ROTATE_270)))


def rot180(img: Image.Image, rng: random.Random) -> Image.Image:
    return img.transpose(Image.Transpose.ROTATE_180)


def blur(img: Image.Image, rng: random.Random) -> Image.Image:
    return img.filter(ImageFilter.GaussianBlur(radius=rng.uniform(1.0, 1.4)))


def jpeg30(img: Image.Image, rng: random.Random) -> Image.Image:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=30)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def salt_pepper(img: Image.Image, rng: random.Random, amount: float = 0.03) -> Image.Image:
    arr = np.array(img)
    gen = np.random.default_rng(rng.randrange(2**32))
    mask = gen.random(arr.shape[:2])
    arr[mask < amount / 2] = 0
    arr[(mask >= amount / 2) & (mask < amount)] = 255
    return Image.fromarray(arr)


def photo(img: Image.Image, rng: random.Random) -> Image.Image:
    """A phone photo: page on a darker desk, perspective, uneven light, slight softness."""
    arr = np.array(img)
    h, w = arr.shape[:2]
    pad = int(0.06 * max(h, w))
    desk = np.full((h + 2 * pad, w + 2 * pad, 3), (120, 110, 95), dtype=np.uint8)
    desk[pad : pad + h, pad : pad + w] = arr
    H, W = desk.shape[:2]
    src = np.float32([[pad, pad], [pad + w, pad], [pad + w, pad + h], [pad, pad + h]])

    def jitter(x: float, y: float) -> list[float]:
        return [x + rng.uniform(-0.045, 0.045) * w, y + rng.uniform(-0.035, 0.035) * h]

    dst = np.float32([jitter(*p) for p in src])
    matrix = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(desk, matrix, (W, H), flags=cv2.INTER_LINEAR, borderValue=(120, 110, 95))
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    cx, cy = rng.uniform(0.2, 0.8) * W, rng.uniform(0.2, 0.8) * H
    dist = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2) / max(H, W)
    light = np.clip(1.05 - 0.55 * dist, 0.55, 1.0)
    lit = np.clip(warped.astype(np.float32) * light[:, :, None] * np.float32([1.0, 0.98, 0.92]), 0, 255)
    out = cv2.GaussianBlur(lit.astype(np.uint8), (3, 3), 0.7)
    return Image.fromarray(out)


CONDITIONS = {
    "skew": skew,
    "rot90": rot90,
    "rot180": rot180,
    "blur": blur,
    "jpeg30": jpeg30,
    "saltpepper": salt_pepper,
    "photo": photo,
}
