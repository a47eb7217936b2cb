"""Engine configuration: threads never exceed the CPUs; model files are local or refused."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

import rapidocr
from ocr import EngineConfig, EngineUnavailableError, available_engines, create_engine

MODELS = Path(rapidocr.__file__).parent / "models"


def test_threads_are_capped_at_the_cpus_this_process_may_use() -> None:
    cpus = len(os.sched_getaffinity(0))
    assert EngineConfig(threads=cpus + 8).effective_threads == cpus
    assert EngineConfig(threads=0).effective_threads == 1
    assert create_engine(EngineConfig(threads=cpus + 8)).threads == cpus  # type: ignore[attr-defined]


def test_both_engines_are_registered() -> None:
    assert {"rapidocr", "paddleocr"} <= set(available_engines())


def test_a_missing_model_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(EngineUnavailableError) as caught:
        create_engine(EngineConfig(det_model=str(tmp_path / "det.onnx")))
    assert caught.value.message_zh


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection attempt fails the test instead of reaching (or waiting for) a model hub."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_a_recogniser_without_its_character_list_is_refused_not_downloaded(no_network: None) -> None:
    # the detector embeds no character list: used as a recogniser, RapidOCR would fetch one
    with pytest.raises(EngineUnavailableError, match="rec_keys"):
        create_engine(EngineConfig(rec_model=str(MODELS / "PP-OCRv6_det_small.onnx")))


def test_a_missing_character_list_is_refused_not_downloaded(no_network: None, tmp_path: Path) -> None:
    with pytest.raises(EngineUnavailableError, match="character list not found"):
        create_engine(EngineConfig(rec_model=str(MODELS / "PP-OCRv6_rec_small.onnx"),
                                   rec_keys=str(tmp_path / "keys.txt")))


def test_a_recogniser_that_embeds_its_characters_needs_no_list(no_network: None) -> None:
    engine = create_engine(EngineConfig(rec_model=str(MODELS / "PP-OCRv6_rec_small.onnx")))
    engine.warm_up()


def test_a_box_turned_with_its_page_starts_again_at_the_text_top_left() -> None:
    from ocr.preprocess import rotate_box

    box = ((10.0, 20.0), (110.0, 20.0), (110.0, 40.0), (10.0, 40.0))  # on a 200x100 page
    assert rotate_box(box, 200, 100, 0) == box
    turned = rotate_box(box, 200, 100, 180)
    assert turned == ((89.0, 59.0), (189.0, 59.0), (189.0, 79.0), (89.0, 79.0))
    # a line on a page lying on its side (text running upwards) comes out horizontal
    sideways = ((20.0, 110.0), (20.0, 10.0), (40.0, 10.0), (40.0, 110.0))
    upright = rotate_box(sideways, 100, 200, 90)
    assert upright[0][0] < upright[1][0] and upright[0][1] == upright[1][1]


def test_the_recognisers_memory_arena_changes_speed_not_readings(render) -> None:  # type: ignore[no-untyped-def]
    import io

    import numpy as np
    from PIL import Image

    data, _ = render("business_licence", 3, dpi=100)
    page = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
    plain = create_engine(EngineConfig(threads=2, memory_arena=False)).read(page)
    arena = create_engine(EngineConfig(threads=2, memory_arena=True))
    again = arena.read(page)
    sessions = arena._ocr.text_rec.session.session, arena._ocr.text_det.session.session  # type: ignore[attr-defined]
    assert [s.get_session_options().enable_cpu_mem_arena for s in sessions] == [True, False]
    assert EngineConfig().memory_arena  # the default
    assert [x.text for x in again] == [x.text for x in plain] and len(plain) > 5
    assert [x.box for x in again] == [x.box for x in plain]
    assert [x.score for x in again] == [x.score for x in plain]


def test_a_scan_is_detected_at_det_page_side_and_a_small_photo_is_not_shrunk(render) -> None:  # type: ignore[no-untyped-def]
    import io

    import numpy as np
    from PIL import Image

    data, _ = render("id_card", 5, dpi=150)
    page = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
    assert max(page.shape[:2]) > 1280
    engine = create_engine(EngineConfig(threads=2, det_page_side=1280))
    lines = engine.read(page)
    detector = engine._ocr.text_det  # type: ignore[attr-defined]
    assert (detector.limit_type, detector.limit_side_len) == ("max", 1280)
    assert any("公民身份号码" in x.text or "身份" in x.text for x in lines)
    assert engine.detector_limit(*page.shape[:2], full_side=True) == ("max", 2000)  # a speckled page
    engine.read(page[:300, :500])  # a small photo: enlarged to 736 on its short side, as before
    assert (detector.limit_type, detector.limit_side_len) == ("min", 736)



def test_short_lines_reach_the_recogniser_narrower_than_rapidocrs_320_px_with_the_same_fields(render) -> None:  # type: ignore[no-untyped-def]
    from ocr import OcrConfig, Reader

    class Widths:
        """Stands between RapidOCR and its recogniser session: the width of every batch."""

        def __init__(self, session) -> None:  # type: ignore[no-untyped-def]
            self.session, self.seen = session, []

        def __call__(self, batch):  # type: ignore[no-untyped-def]
            self.seen.append(batch.shape[-1])
            return self.session(batch)

    def read(min_width: int, data: bytes):  # type: ignore[no-untyped-def]
        reader = Reader(OcrConfig(engine=EngineConfig(threads=2, rec_min_width=min_width)))
        rec = reader.engine._ocr.text_rec  # type: ignore[attr-defined]
        rec.session = Widths(rec.session)
        result = reader.read(data)
        return {k: f.value for k, f in result.fields.items()}, rec.session.seen

    assert EngineConfig().rec_min_width == 160  # the default
    for kind, seed in (("business_licence", 3), ("id_card", 5)):
        data, _ = render(kind, seed, dpi=150)
        fields, narrow = read(160, data)
        before, wide = read(320, data)
        assert min(wide) >= 320 and min(narrow) < 320, (wide, narrow)  # batches of short lines, unpadded
        assert sum(narrow) < sum(wide)
        assert fields == before and len(fields) >= 4, (fields, before)
