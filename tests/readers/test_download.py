"""Conditional downloads, their digest, and retries of transient answers (readers/remote.download).

Against the audit's udata-like portal on 127.0.0.1 (the network policy is opted in
for these tests only).
"""
from __future__ import annotations

import hashlib
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "audit"))
from fake_portal import FakePortal, File  # noqa: E402

from territoria.readers import SourceProblem  # noqa: E402
from territoria.readers.remote import discard, download, retry_after  # noqa: E402

BODY = b"a,b\n1,2\n"


@pytest.fixture
def portal(monkeypatch):
    monkeypatch.setenv("TERRITORIA_ALLOW_PRIVATE_NETWORK", "1")
    with FakePortal() as found:
        yield found


def test_a_download_gives_its_validators_and_digest(portal):
    portal.files["/a.csv"] = File(BODY)
    got = download(portal.base + "/a.csv", digest=True)
    try:
        assert Path(got.path).read_bytes() == BODY
        assert got.sha256 == hashlib.sha256(BODY).hexdigest() and got.size == len(BODY)
        assert got.etag == portal.files["/a.csv"].etag and got.last_modified.endswith("GMT")
    finally:
        discard(got.path)


def test_an_unchanged_file_is_a_304_without_body(portal):
    portal.files["/a.csv"] = File(BODY)
    first = download(portal.base + "/a.csv")
    discard(first.path)
    again = download(portal.base + "/a.csv", etag=first.etag)
    assert again.not_modified and again.path is None and again.etag == first.etag
    by_date = download(portal.base + "/a.csv", last_modified=first.last_modified)
    assert by_date.not_modified
    portal.files["/a.csv"] = File(BODY + b"3,4\n")  # changed: a new body
    changed = download(portal.base + "/a.csv", etag=first.etag)
    try:
        assert not changed.not_modified and Path(changed.path).read_bytes().endswith(b"3,4\n")
    finally:
        discard(changed.path)


def test_429_is_tried_again_after_its_retry_after(portal):
    portal.files["/busy.csv"] = File(BODY, failures=[429], headers={"Retry-After": "1"})
    started = time.monotonic()
    got = download(portal.base + "/busy.csv", retries=2)
    discard(got.path)
    assert got.attempts == 2 and time.monotonic() - started >= 0.9


def test_a_retry_after_beyond_the_cap_is_cut_to_the_cap(portal, monkeypatch):
    from territoria.readers import remote

    monkeypatch.setattr(remote, "RETRY_AFTER_MAX", 0.2)
    portal.files["/busy.csv"] = File(BODY, failures=[503], headers={"Retry-After": "86400"})
    started = time.monotonic()
    got = download(portal.base + "/busy.csv", retries=1)
    discard(got.path)
    assert got.attempts == 2 and time.monotonic() - started < 5


def test_a_client_error_is_not_tried_again(portal):
    with pytest.raises(SourceProblem, match="HTTP 404"):
        download(portal.base + "/missing.csv", retries=3)
    assert portal.hits["/missing.csv"] == 1


def test_the_total_deadline_stops_a_stalled_body(portal):
    portal.files["/stall.csv"] = File(BODY * 100, stall=True)
    started = time.monotonic()
    with pytest.raises(SourceProblem, match="took longer than 1 s"):
        download(portal.base + "/stall.csv", total=1.0, retries=0)
    assert time.monotonic() - started < 4


def test_retry_after_reads_seconds_and_dates():
    assert retry_after("5") == 5.0
    assert retry_after(None) is None and retry_after("soon") is None
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past: no wait
