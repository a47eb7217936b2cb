"""The intake checks run while the store writes the object invisibly: a refused upload leaves no
object, temporary file, retention record or catalog row; an accepted one is stored byte-exact."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from sqlalchemy import func, select

from archive import (
    Actor, Archive, BoundedStore, CheckLimits, DocumentUnusableError, LocalStore, S3Config, S3Store,
    StoreUnavailableError, make_engine, migrate, object_key,
)
from archive.catalog.models import DerivedRow, DocumentRow

CLERK = Actor("clerk-1", "clerk")
USCC = "91350100M000100Y43"
OTHER = "91330302MA2AB1C2DX"


def _jpeg(seed: int) -> bytes:
    pixels = np.random.default_rng(seed).integers(0, 255, (600, 420), dtype=np.uint8)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "JPEG", quality=80)
    return out.getvalue()


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def _rows(archive: Archive) -> tuple[int, int]:
    with archive.sessions() as session:
        return (session.scalar(select(func.count()).select_from(DocumentRow)),
                session.scalar(select(func.count()).select_from(DerivedRow)))


@pytest.fixture(params=["local", "bounded"])
def store_root(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Archive, Path]:
    root = tmp_path / "objects"
    store = LocalStore(root) if request.param == "local" else BoundedStore(LocalStore(root))
    engine = make_engine(f"sqlite:///{tmp_path / 'catalog.db'}")
    migrate(engine)
    return Archive(store, engine, checks=CheckLimits()), root


def _ingest(archive: Archive, data: bytes, owner: str = USCC, filename: str = "scan.jpg"):  # type: ignore[no-untyped-def]
    return archive.ingest(data, owner_code=owner, owner_code_type="uscc", doc_type="business_licence",
                          actor=CLERK, filename=filename, case_ref="CASE-1")


def test_a_refused_upload_leaves_no_object_temp_file_or_row(store_root: tuple[Archive, Path]) -> None:
    archive, root = store_root
    whole = _jpeg(1)
    with pytest.raises(DocumentUnusableError) as refused:
        _ingest(archive, whole[: len(whole) * 2 // 3])  # truncated: the decoder fails, the write had begun
    assert refused.value.extra["reason"] == "damaged"
    assert _files(root) == []  # no .incoming-*, no .retention-*, no object
    assert _rows(archive) == (0, 0)


def test_an_accepted_upload_is_byte_exact_with_its_report_and_retention(store_root: tuple[Archive, Path]) -> None:
    archive, root = store_root
    data = _jpeg(2)
    result = _ingest(archive, data)
    assert result.created and result.checks is not None and result.checks["usability"]["ok"]
    assert archive.read(result.record.id, actor=CLERK) == data
    key = object_key(result.record.sha256)
    assert _files(root) == [key, key + ".retention.json"]
    assert archive.get_derived(result.record.id, "checks") == result.checks
    assert _rows(archive) == (1, 1)


def test_refusing_bytes_another_owner_already_stored_keeps_their_object(store_root: tuple[Archive, Path]) -> None:
    archive, root = store_root
    data = _jpeg(3)
    kept = _ingest(archive, data).record
    before = {name: (root / name).read_bytes() for name in _files(root)}
    with pytest.raises(DocumentUnusableError) as refused:
        _ingest(archive, data, owner=OTHER, filename="scan.png")  # the name contradicts the content
    assert refused.value.extra["reason"] == "type_mismatch"
    assert {name: (root / name).read_bytes() for name in _files(root)} == before
    assert archive.read(kept.id, actor=CLERK) == data
    assert _rows(archive) == (1, 1)


def test_concurrent_uploads_each_get_their_own_verdict(store_root: tuple[Archive, Path]) -> None:
    archive, root = store_root
    good = [_jpeg(10 + n) for n in range(4)]
    bad = [g[: len(g) // 2] for g in (_jpeg(20 + n) for n in range(4))]

    def upload(data: bytes) -> str | None:
        try:
            return _ingest(archive, data).record.id
        except DocumentUnusableError:
            return None

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(upload, [x for pair in zip(good, bad) for x in pair]))
    accepted, refused = outcomes[0::2], outcomes[1::2]
    assert all(refused_id is None for refused_id in refused) and all(accepted)
    assert [archive.read(doc_id, actor=CLERK) for doc_id in accepted] == good  # type: ignore[arg-type]
    assert len(_files(root)) == 2 * len(good)  # each object and its retention record, no temp file
    assert _rows(archive) == (len(good), len(good))


@pytest.mark.s3
def test_with_the_store_down_a_refusal_still_answers_first(tmp_path: Path, moto_factory) -> None:  # type: ignore[no-untyped-def]
    server = moto_factory()  # never started: every store call fails
    store = S3Store(S3Config(endpoint=server.endpoint, bucket="down", access_key="a", secret_key="b",
                             timeout_seconds=1, retries=0))
    engine = make_engine(f"sqlite:///{tmp_path / 'catalog.db'}")
    migrate(engine)
    archive = Archive(BoundedStore(store, max_workers=2), engine, checks=CheckLimits())
    whole = _jpeg(4)
    with pytest.raises(DocumentUnusableError):
        _ingest(archive, whole[: len(whole) // 2])
    with pytest.raises(StoreUnavailableError):
        _ingest(archive, whole)
    assert _rows(archive) == (0, 0)
