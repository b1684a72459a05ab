"""Kith's CSV export read the way spreadsheets in other locales read it.

A spreadsheet set to German, French or Dutch splits a CSV file at `;`, not `,`. Read either
way, by Python's own csv module, no field of the export may start with a character that makes
a spreadsheet run it as a formula (`=`, `+`, `-`, `@`, tab, carriage return).

The export is produced by the real CLI, as in test_exports.py, from `sample-network.json` and
from a network whose text is built to split into formulas at every separator:

    kith --db <tmp>/k.sqlite3 import <network>
    kith --db <tmp>/k.sqlite3 export --format csv --out <tmp>/contacts.csv [--include-private]

Run with `pytest tests/python` after `cargo build` (set KITH_BIN to use another binary).
"""

from __future__ import annotations

import csv
import json
import os
import pathlib
import subprocess

import pytest

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SAMPLE = HERE / "sample-network.json"
KITH = pathlib.Path(os.environ.get("KITH_BIN", ROOT / "target" / "debug" / "kith"))

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Text a spreadsheet would run once a cell is split at `;` or `,`.
SPLITS_INTO_FORMULAS = [
    "Ana;=HYPERLINK(\"http://evil.example\",\"click\")",
    "koha; @SUM(1+1)*cmd|' /C calc'!A0",
    "Library, =1+1; -2+3;+4",
    "quoted;\"=cmd\"",
    "line one\n=two\r\n@three",
    "tab\t=inside",
    "  =spaced ;  -out",
]


def hostile_network() -> dict:
    contacts = []
    for n, text in enumerate(SPLITS_INTO_FORMULAS):
        contacts.append(
            {
                "id": f"c-split-{n}",
                "name": f"Split {n} {text}",
                "roles": ["peer"],
                "organisation": text,
                "location": text,
                "notes": text,
                "private_notes": text,
                "tags": ["koha", text, "=tag"],
                "expertise": [text, "-x"],
                "handles": {"twitter": ["@first", "@second"], "email": [f"s{n}@example.org"]},
                "met_where": text,
                "met_through": text,
            }
        )
    return {"format": "kith-archive", "version": 1, "contacts": contacts}


def kith(*args) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(KITH), *map(str, args)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, f"kith {' '.join(map(str, args))} failed:\n{result.stderr}"
    return result


@pytest.fixture(scope="session")
def store(tmp_path_factory) -> pathlib.Path:
    if not KITH.is_file():
        pytest.fail(f"{KITH} does not exist: run `cargo build` first or set KITH_BIN")
    folder = tmp_path_factory.mktemp("separators")
    db = folder / "k.sqlite3"
    kith("--db", db, "import", SAMPLE)
    network = folder / "hostile.json"
    network.write_text(json.dumps(hostile_network()), encoding="utf-8")
    kith("--db", db, "import", network)
    return db


@pytest.fixture(scope="session")
def export(store, tmp_path_factory):
    """export(private) -> the CSV file written."""
    done: dict[bool, pathlib.Path] = {}

    def run(private: bool) -> pathlib.Path:
        if private not in done:
            folder = tmp_path_factory.mktemp("csv-private" if private else "csv-sharing")
            out = folder / "contacts.csv"
            args = ["--db", store, "export", "--format", "csv", "--out", out]
            if private:
                args.append("--include-private")
            kith(*args)
            done[private] = out
        return done[private]

    return run


@pytest.mark.parametrize("private", [False, True])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_no_field_starts_a_formula_whichever_separator(export, private, delimiter):
    path = export(private)
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f, delimiter=delimiter))
    assert len(rows) > len(SPLITS_INTO_FORMULAS)
    for line, row in enumerate(rows, start=1):
        for field in row:
            assert not field.startswith(FORMULA_STARTS), (
                f"line {line}, read with {delimiter!r}: {field!r} would run as a formula"
            )


def test_cells_with_either_separator_are_quoted(export):
    """Read with `,`, every cell holding `;` came quoted: no row is split at it."""
    path = export(False)
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    assert all(len(row) == len(header) for row in rows)
    # Outside quotes the file holds only commas between cells and CRLF between rows, never a
    # `;` (a quote inside a quoted cell is doubled, which leaves and re-enters the quotes).
    raw = path.read_bytes().decode("utf-8")
    inside, outside = False, []
    for c in raw:
        if c == '"':
            inside = not inside
        elif not inside:
            outside.append(c)
    assert not inside
    assert ";" not in "".join(outside)
