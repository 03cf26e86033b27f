"""A data package sent as one zip (the local page), and the offline policy: nothing leaves the folder or the machine.

Each attack is made here, small on disk: a member named to leave the folder
(``..``, an absolute path, a Windows drive, a backslash, a symbolic link, a
name given twice), a bomb by its directory and by its bytes; and a package or a
schema naming an address, under ``offline`` (the page's policy).
"""
from __future__ import annotations

import io
import json
import os
import zipfile

import pytest

from territoria import validate
from territoria.readers import SourceProblem, policy
from territoria.readers.compressed import extract_archive
from territoria.readers.policy import Limits


def _zip(path, members: dict, *, symlink: str = "") -> str:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (0o120777 << 16)
            archive.writestr(info, "/etc/passwd")
    return str(path)


def _refused(tmp_path, members, **options):
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(SourceProblem) as caught:
        extract_archive(_zip(tmp_path / "p.zip", members, **options), str(folder), Limits(), "p.zip")
    assert not [p for p in folder.rglob("*") if p.is_file()], "nothing is written before the names are checked"
    assert not (tmp_path / "evil.csv").exists()
    return caught.value.code, caught.value.note


def test_a_package_is_extracted_with_its_folders(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    names = extract_archive(_zip(tmp_path / "p.zip", {"datapackage.json": "{}", "data/a.csv": "a\n1\n",
                                                      "__MACOSX/._a.csv": "x", "./b.csv": "b\n"}),
                            str(folder), Limits(), "p.zip")
    assert sorted(names) == ["b.csv", "data/a.csv", "datapackage.json"]
    assert (folder / "data" / "a.csv").read_text() == "a\n1\n" and not (folder / "__MACOSX").exists()


@pytest.mark.parametrize("name", ["../evil.csv", "data/../../evil.csv", "/tmp/evil.csv", "C:/evil.csv",
                                  "..\\evil.csv", "a\x1bb.csv"])
def test_a_member_name_cannot_leave_the_folder(tmp_path, name):
    code, note = _refused(tmp_path, {"datapackage.json": "{}", name: "a\n1\n"})
    assert code == "path-refused" and note.startswith("p.zip: the member")


def test_a_symbolic_link_and_a_name_given_twice_are_refused(tmp_path):
    code, note = _refused(tmp_path, {"a.csv": "a\n"}, symlink="link.csv")
    assert code == "path-refused" and "symbolic link" in note
    (tmp_path / "out").rmdir()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.csv", "a\n1\n")
        archive.writestr("./a.csv", "a\n2\n")
    (tmp_path / "twice.zip").write_bytes(buffer.getvalue())
    (tmp_path / "out").mkdir()
    with pytest.raises(SourceProblem, match="given twice"):
        extract_archive(str(tmp_path / "twice.zip"), str(tmp_path / "out"), Limits(), "twice.zip")


def test_a_bomb_is_refused_by_its_directory_and_by_its_bytes(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    path = _zip(tmp_path / "bomb.zip", {"a.csv": "1\n" * 2_000_000})
    with pytest.raises(SourceProblem) as caught:
        extract_archive(path, str(folder), Limits(max_ratio=10, ratio_floor_bytes=1 << 20), "bomb.zip")
    assert caught.value.code == "source-too-large" and "max_ratio" in caught.value.note
    # a directory that lies about the sizes is still stopped while the bytes come
    lying = tmp_path / "lying.zip"
    data = bytearray(open(path, "rb").read())
    for header, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # uncompressed size fields
        at = data.find(header)
        data[at + offset: at + offset + 4] = (10).to_bytes(4, "little")
    lying.write_bytes(bytes(data))
    (folder / "a.csv").unlink(missing_ok=True)
    with pytest.raises(SourceProblem) as caught:
        extract_archive(str(lying), str(folder), Limits(max_uncompressed_bytes=1 << 20), "lying.zip")
    assert caught.value.code in ("source-too-large", "format-error")


def test_a_damaged_archive_is_a_format_error(tmp_path):
    (tmp_path / "bad.zip").write_bytes(b"PK\x03\x04 not really")
    (tmp_path / "out").mkdir()
    with pytest.raises(SourceProblem) as caught:
        extract_archive(str(tmp_path / "bad.zip"), str(tmp_path / "out"), Limits(), "bad.zip")
    assert caught.value.code == "format-error"


def test_offline_refuses_every_address_a_package_names(tmp_path):
    (tmp_path / "datapackage.json").write_text(json.dumps({"resources": [
        {"name": "far", "path": "https://example.org/far.csv", "schema": {"fields": [{"name": "a"}]}}]}))
    with policy.applied(policy.make(offline=True)):
        report = validate(str(tmp_path / "datapackage.json"))
    [task] = report.tasks
    [error] = task.errors
    assert error["type"] == "network-refused" and "https://example.org/far.csv" in error["note"]
    assert error["message_fr"] == ("Une adresse réseau n'a pas été téléchargée : https://example.org/far.csv : "
                                   "non téléchargée (cette vérification ne lit rien sur le réseau)")
    assert not policy.current().offline, "the policy is the call's own"


def test_offline_refuses_a_schema_address_too(tmp_path):
    data = tmp_path / "a.csv"
    data.write_text("a\n1\n")
    with policy.applied(policy.make(offline=True)):
        report = validate(str(data), "https://example.org/schema.json")
    assert report.tasks[0].errors[0]["type"] == "network-refused"
    assert os.listdir(tmp_path) == ["a.csv"]
