"""Run Validata (validata-table, in its own virtual environment) on pairs of files.

Usage: ``<validata venv>/bin/python validata_runner.py PAIRS.json``, where PAIRS.json
lists ``[csv path, schema path]``; prints a JSON list, one
``{"valid": bool, "errors": [[type, rowNumber, fieldName, message], ...], "warnings": [...]}``
per pair. No network: sockets are refused, so a Validata that tried to fetch
anything would fail loudly rather than pass.
"""
import json
import socket
import sys


def _no_network(*args, **kwargs):
    raise OSError("the network is off while Validata runs in Territoria's tests")


socket.socket.connect = _no_network
socket.create_connection = _no_network
socket.getaddrinfo = _no_network


def main(pairs_path: str) -> int:
    import validata_core

    out = []
    for source, schema_path in json.load(open(pairs_path, encoding="utf-8")):
        with open(schema_path, encoding="utf-8") as handle:
            schema = json.load(handle)
        report = validata_core.validate(source, schema).to_dict()
        out.append({"valid": report["valid"],
                    "errors": [[e.get("type"), e.get("rowNumber"), e.get("fieldName"), e.get("message")]
                               for e in report["errors"]],
                    "warnings": report.get("warnings", [])})
    json.dump(out, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
