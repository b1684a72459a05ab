"""Expected counts for the real vCards in tests/fixtures/real/vcard, worked out without Kith.

Each file is turned into text with Python's own codecs (a byte-order mark, else UTF-8, else the
character set the file declares, else Windows-1252), its quoted-printable soft line breaks
joined, and read with vobject. For each file:

- cards: the VCARD components;
- contacts: the people among them, a card repeated in the file counted once (the same UID, or
  else the same first email address, or else the same name);
- emails: the distinct email addresses (compared without case) of each person, added up;
- notes: the paragraphs (text between blank lines) of the NOTE properties, every NOTE counted,
  since Kith keeps them all, a blank line between them;
- birthdays: the BDAY properties whose value is a date (YYYYMMDD, YYYY-MM-DD, --MMDD,
  --MM-DD), which is what Kith promises to keep; a value that is no date is left out.

    python3 tests/python/real_vcard_counts.py           # print the counts
    python3 tests/python/real_vcard_counts.py --write   # refresh expected.json

core/tests/real_vcard.rs imports each file with Kith and compares.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import pathlib
import quopri
import re
import sys

import vobject

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
FOLDER = ROOT / "tests" / "fixtures" / "real" / "vcard"
EXPECTED = FOLDER / "expected.json"


def text_of(raw: bytes) -> str:
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            return raw.decode(codec)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = re.search(rb"CHARSET=([A-Za-z0-9_-]+)", raw)
    if declared:
        try:
            return raw.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    return raw.decode("cp1252")


def join_soft_breaks(text: str) -> str:
    """vCard 2.1 quoted-printable values go on after a line ending in `=`; vobject expects
    them on one line. Photos and other base64 values are left out."""
    out: list[str] = []
    carrying = skipping = False
    for line in text.splitlines():
        if skipping:
            # Base64 data has no colon; the next property has.
            if ":" not in line or line[:1].isspace():
                continue
            skipping = False
        head = line.split(":", 1)[0].upper()
        if not carrying and ("BASE64" in head or "ENCODING=B" in head):
            # Photos and keys: nothing the counts need, and vobject refuses some of them.
            skipping = True
            continue
        if carrying:
            out[-1] = out[-1][:-1] + line
        else:
            out.append(line)
        head = out[-1].split(":", 1)[0].upper()
        carrying = "QUOTED-PRINTABLE" in head and out[-1].endswith("=")
    return "\r\n".join(decode_quoted_printable(line) for line in out) + "\r\n"


def decode_quoted_printable(line: str) -> str:
    """A quoted-printable value decoded here, leniently (vobject refuses a value whose bytes are
    not valid in its CHARSET, as one of the Android cards has), with line breaks escaped."""
    head, sep, value = line.partition(":")
    params = head.split(";")
    if not sep or not any(p.upper() in ("QUOTED-PRINTABLE", "ENCODING=QUOTED-PRINTABLE")
                          for p in params):
        return line
    charset = next((p.split("=", 1)[1] for p in params if p.upper().startswith("CHARSET=")),
                   "utf-8")
    try:
        codecs.lookup(charset)
    except LookupError:
        charset = "cp1252"
    raw = quopri.decodestring(value.encode("latin-1", "replace"))
    text = raw.decode(charset, "replace").replace("\r\n", "\\n").replace("\n", "\\n")
    kept = [p for p in params if p.upper() not in ("QUOTED-PRINTABLE", "ENCODING=QUOTED-PRINTABLE")
            and not p.upper().startswith("CHARSET=")]
    return ";".join(kept) + ":" + text


def is_date(value: str) -> bool:
    v = value.strip().split("T")[0]
    m = re.fullmatch(r"--(\d\d)-?(\d\d)", v)
    if m:
        year, month, day = 2000, int(m.group(1)), int(m.group(2))
    else:
        m = re.fullmatch(r"(\d{4})-?(\d\d)-?(\d\d)", v)
        if not m:
            return False
        year, month, day = (int(g) for g in m.groups())
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def values(card, name: str) -> list[str]:
    out = []
    for prop in card.contents.get(name.lower(), []):
        v = prop.value
        if isinstance(v, list):
            v = ",".join(str(x) for x in v)
        out.append(str(v).strip())
    return out


def counts(path: pathlib.Path) -> dict:
    cards = list(vobject.readComponents(join_soft_breaks(text_of(path.read_bytes())),
                                   ignoreUnreadable=True))
    people: dict[str, set[str]] = {}
    notes = birthdays = 0
    for card in cards:
        emails = [e.lower() for e in values(card, "email") if e]
        uid = next(iter(values(card, "uid")), "")
        name = next(iter(values(card, "fn")), "") or ",".join(values(card, "n"))
        key = f"uid:{uid}" if uid else f"email:{emails[0]}" if emails else f"name:{name}"
        people.setdefault(key, set()).update(emails)
        notes += sum(len([p for p in n.replace("\r\n", "\n").split("\n\n") if p.strip()])
                     for n in values(card, "note"))
        birthdays += sum(1 for b in values(card, "bday") if is_date(b))
    return {
        "cards": len(cards),
        "contacts": len(people),
        "emails": sum(len(e) for e in people.values()),
        "notes": notes,
        "birthdays": birthdays,
    }


def main() -> None:
    result = {p.name: counts(p) for p in sorted(FOLDER.glob("*.vcf"))}
    text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    if "--write" in sys.argv:
        EXPECTED.write_text(text, encoding="utf-8")
    print(text, end="")


if __name__ == "__main__":
    main()
