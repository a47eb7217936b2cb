"""Cutting one text line out of a page: the quadrilateral straightened to a rectangle."""

from __future__ import annotations

import cv2
import numpy as np

from ocr.types import Box


def crop_line(image: np.ndarray, box: Box, *, upright_tall: bool = False) -> np.ndarray:
    """The quadrilateral ``box`` (points from the text's top left, clockwise) as a rectangle.

    ``upright_tall`` turns a crop at least 1.5 times taller than wide a quarter turn counter-
    clockwise, as recognisers expect for a line of sideways text.
    """
    src = np.asarray(box, dtype=np.float32)
    width = max(1, int(round(max(np.linalg.norm(src[1] - src[0]), np.linalg.norm(src[2] - src[3])))))
    height = max(1, int(round(max(np.linalg.norm(src[3] - src[0]), np.linalg.norm(src[2] - src[1])))))
    dst = np.asarray([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(src, dst)
    crop = cv2.warpPerspective(image, matrix, (width, height), flags=cv2.INTER_CUBIC,
                               borderMode=cv2.BORDER_REPLICATE)
    if upright_tall and height >= 1.5 * width:
        crop = np.ascontiguousarray(np.rot90(crop))
    return crop
