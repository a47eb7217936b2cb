"""Licence benchmark: signed licences per second, end to end, beside a naive loop of pyHanko's stock signer.

    .venv/bin/python bench/certgen.py [--count 60] [--type food_business] [--pdf-only]

Rows (all PAdES B-T with the dev PKI's TSA, RSA-2048 seal key, SQLite catalog, local object store):
  * naive: pyHanko's stock ``SimpleSigner.load_pkcs12`` + ``sign_pdf`` per licence, on the same
    unsigned licence PDF (what a straightforward integration does);
  * sign only: our long-lived ``Signer`` (key parsed once, reserved size cached, seal pre-encoded);
  * end to end in-process: render + JSON attachment + sign + archive (WORM) + registry, 1 and 2
    worker processes;
  * end to end through the API: ``POST /api/v1/licences`` against ``onceonly serve --workers 1|2``
    (each worker warm, 2 clients per worker, a new connection per request so that the workers share
    the requests; CPU: all ``serve`` processes, from ``/proc``);
  * verification: strict signature check + registry lookup per licence.

OFD rows beside them (GB/T 33190 package, SM2 seal per GB/T 38540, gmssl + OpenSSL's SM3): seal only
(pre-rendered files), end to end in-process and through the API (``format: "ofd"``), verification.
"""

from __future__ import annotations

import argparse
import io
import logging
import multiprocessing as mp
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._support import free_port, table, wait_http  # noqa: E402

logging.disable(logging.WARNING)


def settings_for(data_dir: Path):  # type: ignore[no-untyped-def]
    from api.settings import Settings

    return Settings(data_dir=data_dir, public_base_url="http://127.0.0.1:8000", log_level="WARNING")


def naive_loop(container, template_id: str, count: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """pyHanko's stock signer, re-created for every licence (the key is re-parsed each time)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    pdf = unsigned_licence(container, template_id)
    service = container.licences
    tsa = service.signers.get(service.config.default_authority).timestamper
    p12 = service.config.pki_dir / "seals" / f"{service.config.default_authority.code}.p12"
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(count):
        signer = signers.SimpleSigner.load_pkcs12(str(p12))
        meta = signers.PdfSignatureMetadata(field_name="Seal", subfilter=SigSeedSubFilter.PADES)
        signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), meta, signer=signer, timestamper=tsa)
    return count / (time.perf_counter() - started), (time.process_time() - cpu) / count * 1000


def example_content(container, template_id: str):  # type: ignore[no-untyped-def]
    """The template's example licence with a fixed number and identifier (nothing is registered)."""
    from datetime import date

    from certgen.licences import LicenceContent, check_data

    service = container.licences
    template = service.templates.get(template_id)
    checked = check_data(template, service.example(template_id))
    content = LicenceContent(template, checked.values, "JY23303020000017", "1.2.156.3005.2.X",
                             "温州市鹿城区市场监督管理局", "11330302MB01234564", date.today(), date.today(), None,
                             "http://127.0.0.1:8000/verify/X")
    return content


def unsigned_licence(container, template_id: str) -> bytes:  # type: ignore[no-untyped-def]
    from certgen.licences import attach_json, licence_json, render_licence

    content = example_content(container, template_id)
    return attach_json(render_licence(content), licence_json(content))


def sign_only(container, template_id: str, count: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    from certgen import sign_pdf
    from certgen.licences import seal_box

    service = container.licences
    pdf = unsigned_licence(container, template_id)
    signer = service.signers.get(service.config.default_authority)
    box = seal_box(service.templates.get(template_id))
    sign_pdf(pdf, signer, seal_box=box)
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(count):
        sign_pdf(pdf, signer, seal_box=box)
    return count / (time.perf_counter() - started), (time.process_time() - cpu) / count * 1000


def ofd_seal_only(container, template_id: str, count: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Seal pre-rendered OFD files: SM3 of every file, Signature.xml, SES_Signature with SM2, zip."""
    from certgen.licences.ofd import licence_document
    from certgen.ofd import Stamp, seal_package

    service = container.licences
    content = example_content(container, template_id)
    files, pages = licence_document(content).files()
    sealer = service.ofd_sealers.get(service.config.default_authority)
    stamp = Stamp(pages[0], 10, 10, 40)
    seal_package(files, sealer, stamp)
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(count):
        seal_package(files, sealer, stamp)
    return count / (time.perf_counter() - started), (time.process_time() - cpu) / count * 1000


def _worker(data_dir: str, template_id: str, count: int, barrier, results, fmt: str = "pdf") -> None:  # type: ignore[no-untyped-def]
    logging.disable(logging.WARNING)
    from api.container import build_container
    from archive import Actor

    container = build_container(settings_for(Path(data_dir)), migrate=False)
    service = container.licences
    data = service.example(template_id)
    actor = Actor("bench", "approver")
    service.issue(template_id, data, actor=actor, format=fmt)  # warm up: key, fonts, templates
    barrier.wait()
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(count):
        service.issue(template_id, data, actor=actor, format=fmt)
    results.put((time.perf_counter() - started, (time.process_time() - cpu) / count * 1000))
    container.close()


def in_process(data_dir: Path, template_id: str, count: int, workers: int, fmt: str = "pdf") -> tuple[float, float]:
    ctx = mp.get_context("spawn")
    barrier, results = ctx.Barrier(workers + 1), ctx.Queue()
    per = count // workers
    procs = [ctx.Process(target=_worker, args=(str(data_dir), template_id, per, barrier, results, fmt))
             for _ in range(workers)]
    for p in procs:
        p.start()
    barrier.wait()
    started = time.perf_counter()
    cpu_ms = [results.get()[1] for _ in procs]
    wall = time.perf_counter() - started
    for p in procs:
        p.join()
    return per * workers / wall, sum(cpu_ms) / len(cpu_ms)


def _process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by ``pid`` and its descendants (Linux ``/proc``)."""
    tick = os.sysconf("SC_CLK_TCK")
    stats: dict[int, list[str]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stats[int(entry)] = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
    tree, grew = {pid}, True
    while grew:
        more = {p for p, st in stats.items() if int(st[1]) in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(int(stats[p][11]) + int(stats[p][12]) for p in tree if p in stats) / tick


def through_api(data_dir: Path, key: str, template_id: str, count: int, workers: int,
                fmt: str = "pdf") -> tuple[float, float | None]:
    """``onceonly serve --workers N`` (what is deployed), ``2 N`` clients with a connection each.
    Returns licences/s and the server's CPU ms per licence (all its processes; None off Linux)."""
    port = free_port()
    env = {"ONCEONLY_DATA_DIR": str(data_dir), "ONCEONLY_LOG_LEVEL": "WARNING",
           "ONCEONLY_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
           "ONCEONLY_OCR_ON_UPLOAD": "false",  # no OCR models warming up beside the licences measured
           "PYTHONFAULTHANDLER": "1"}  # a crashed worker leaves its stack in the log
    log_path = data_dir / f"serve-{workers}.log"  # kept: a failed run shows what the server said
    with open(log_path, "ab") as log_file:
        server = subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers",
                                   str(workers)], env={**os.environ, **env}, stdout=log_file, stderr=log_file)
    clients: list[httpx.Client] = []
    try:
        base = f"http://127.0.0.1:{port}"
        wait_http(f"{base}/api/v1/licences/types")
        data = httpx.get(f"{base}/api/v1/licences/types/{template_id}/example", timeout=60).json()
        headers = {"Authorization": f"Bearer {key}"}
        # a new connection per request: uvicorn's workers share one listening socket, and kept-alive
        # connections stay with whichever worker accepted them (measured: 3:1 to 7:1 CPU splits over
        # 2 workers with 4-8 kept-alive connections), so the run measured one worker, not two
        clients += [httpx.Client(base_url=base, timeout=120, limits=httpx.Limits(max_keepalive_connections=0))
                    for _ in range(workers * 2)]

        def one(i: int) -> None:
            response = clients[i % len(clients)].post(
                "/api/v1/licences", headers=headers, json={"type": template_id, "data": data, "format": fmt})
            if response.status_code >= 400:  # the body says which error (a bare status told us nothing)
                raise RuntimeError(f"POST /api/v1/licences: {response.status_code} {response.text[:2000]}")

        with ThreadPoolExecutor(len(clients)) as pool:
            list(pool.map(one, range(len(clients) * 3)))  # every connection (so every worker) warm
            cpu = _process_tree_cpu(server.pid) if Path("/proc/self/stat").exists() else None
            started = time.perf_counter()
            list(pool.map(one, range(count)))
            rate = count / (time.perf_counter() - started)
            if cpu is not None:
                cpu = (_process_tree_cpu(server.pid) - cpu) / count * 1000
            return rate, cpu
    except Exception:
        state = "running" if server.poll() is None else f"exited with {server.returncode}"
        print(f"--- the server ({state}); its log ({log_path}), last lines:", file=sys.stderr)
        kept = Path(tempfile.gettempdir()) / f"bench-certgen-serve-{int(time.time())}.log"
        shutil.copyfile(log_path, kept)
        print(log_path.read_text(errors="replace")[-6000:], f"\n--- whole log kept in {kept}", file=sys.stderr)
        raise
    finally:
        for client in clients:
            client.close()
        server.terminate()
        server.wait(timeout=30)


def verification(container, template_id: str, count: int, fmt: str = "pdf") -> tuple[float, float]:  # type: ignore[no-untyped-def]
    from archive import Actor
    from certgen import verify_pdf
    from certgen.ofd import verify_ofd
    from intake.licences import check_licence_pdf

    service = container.licences
    actor = Actor("bench", "approver")
    files = [service.content(lic.identifier, actor=actor) for lic in service.list(limit=500)]
    pdfs = [f for f in files if (f[:4] == b"PK\x03\x04") == (fmt == "ofd")][:count]
    check_licence_pdf(service, pdfs[0])
    started = time.perf_counter()
    for pdf in pdfs:
        assert check_licence_pdf(service, pdf).report.ok
    full = (time.perf_counter() - started) / len(pdfs) * 1000
    started = time.perf_counter()
    for pdf in pdfs:
        if fmt == "ofd":
            verify_ofd(pdf, service.ofd_sealers.trust)
        else:
            verify_pdf(pdf, service.signers.trust)
    return full, (time.perf_counter() - started) / len(pdfs) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=60, help="licences per measurement")
    parser.add_argument("--type", default="food_business")
    parser.add_argument("--pdf-only", action="store_true", help="only the PDF issuance rows (no OFD, no verification)")
    args = parser.parse_args()
    from api.container import build_container

    root = Path(tempfile.mkdtemp(prefix="bench-certgen-"))
    try:
        data_dir = root / "var"
        load = " ".join(f"{x:.1f}" for x in os.getloadavg())
        container = build_container(settings_for(data_dir))
        key, _ = container.archive.keys.create(name="bench", role="approver", scopes=())
        naive = naive_loop(container, args.type, max(10, args.count // 3))
        ours = sign_only(container, args.type, args.count)
        e2e = {w: in_process(data_dir, args.type, args.count, w) for w in (1, 2)}
        api = {w: through_api(data_dir, key, args.type, args.count, w) for w in (1, 2)}
        base = naive[0]
        rows = [
            ("naive: stock SimpleSigner per licence (sign only)", "1", naive[0], naive[1]),
            ("ours: long-lived Signer (sign only)", "1", ours[0], ours[1]),
            ("end to end in-process (render+attach+sign+archive)", "1", e2e[1][0], e2e[1][1]),
            ("end to end in-process (render+attach+sign+archive)", "2", e2e[2][0], e2e[2][1]),
            ("end to end via API POST /api/v1/licences (CPU: all serve processes)", "1", api[1][0], api[1][1]),
            ("end to end via API POST /api/v1/licences (CPU: all serve processes)", "2", api[2][0], api[2][1]),
        ]
        if not args.pdf_only:
            ofd_seal = ofd_seal_only(container, args.type, args.count)
            ofd_e2e = {w: in_process(data_dir, args.type, args.count, w, "ofd") for w in (1, 2)}
            ofd_api = through_api(data_dir, key, args.type, args.count, 2, "ofd")
            full_ms, sig_ms = verification(container, args.type, 30)
            ofd_full_ms, ofd_sig_ms = verification(container, args.type, 30, "ofd")
            rows += [
                ("OFD: SM2 seal only (pre-rendered package)", "1", ofd_seal[0], ofd_seal[1]),
                ("OFD: end to end in-process (render+font subset+seal+archive)", "1", ofd_e2e[1][0], ofd_e2e[1][1]),
                ("OFD: end to end in-process (render+font subset+seal+archive)", "2", ofd_e2e[2][0], ofd_e2e[2][1]),
                ("OFD: end to end via API (format: ofd)", "2", ofd_api[0], ofd_api[1]),
            ]
        container.close()
        print(f"licence type {args.type}, PAdES B-T, RSA-2048, {args.count} licences per row, "
              f"{os.cpu_count()} CPUs, SQLite + local store, load average before: {load}, "
              f"after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        print(table(["what", "workers", "licences/s", "x naive", "CPU ms/licence/worker"],
                    [(w, n, f"{r:.1f}", f"{r / base:.1f}x", "-" if c is None else f"{c:.0f}")
                     for w, n, r, c in rows]))
        if not args.pdf_only:
            print()
            print(table(["verification", "ms per licence"],
                        [("strict signature check + registry lookup", f"{full_ms:.1f}"),
                         ("signature check only (verify_pdf)", f"{sig_ms:.1f}"),
                         ("OFD: digests + SM2 + chain + registry lookup", f"{ofd_full_ms:.1f}"),
                         ("OFD: seal check only (verify_ofd)", f"{ofd_sig_ms:.1f}")]))
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
