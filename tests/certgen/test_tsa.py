"""The dev RFC 3161 TSA answers real time-stamp queries that openssl accepts."""

from __future__ import annotations

import hashlib
import subprocess
import urllib.request

from asn1crypto import algos, tsp


def query(data: bytes, *, cert_req: bool = True) -> tsp.TimeStampReq:
    return tsp.TimeStampReq({
        "version": "v1", "nonce": 4242, "cert_req": cert_req,
        "message_imprint": {"hash_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
                            "hashed_message": hashlib.sha256(data).digest()},
    })


def test_openssl_verifies_the_tokens(tsa, dev_pki, tmp_path) -> None:  # type: ignore[no-untyped-def]
    request = query(b"licence bytes")
    (tmp_path / "q.tsq").write_bytes(request.dump())
    (tmp_path / "r.tsr").write_bytes(tsa.respond(request.dump()))
    result = subprocess.run(
        ["openssl", "ts", "-verify", "-in", str(tmp_path / "r.tsr"), "-queryfile", str(tmp_path / "q.tsq"),
         "-CAfile", str(dev_pki.root_cert), "-untrusted", str(dev_pki.issuing_cert)],
        capture_output=True, text=True, timeout=60)
    assert "Verification: OK" in result.stdout + result.stderr, result.stderr


def test_garbage_gets_a_rejection_not_a_crash(tsa) -> None:  # type: ignore[no-untyped-def]
    from asn1crypto import core

    outer = core.Sequence.load(tsa.respond(b"\x30\x03garbage"))
    assert tsp.PKIStatusInfo.load(outer[0].dump())["status"].native == "rejection"


def test_loopback_http_tsa(tsa_server) -> None:  # type: ignore[no-untyped-def]
    request = urllib.request.Request(tsa_server.url, data=query(b"x", cert_req=False).dump(),
                                     headers={"Content-Type": "application/timestamp-query"})
    with urllib.request.urlopen(request, timeout=10) as reply:
        assert reply.headers["Content-Type"] == "application/timestamp-reply"
        response = tsp.TimeStampResp.load(reply.read())
    token = response["time_stamp_token"]["content"]
    assert response["status"]["status"].native == "granted"
    assert len(token["certificates"]) == 0  # certReq false: no certificates
    info = token["encap_content_info"]["content"].parsed
    assert info["nonce"].native == 4242
    assert info["message_imprint"]["hashed_message"].native == hashlib.sha256(b"x").digest()
