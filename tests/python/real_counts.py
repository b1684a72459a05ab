"""What each real file in tests/fixtures/real should import as, worked out without Kith.

Mail is read with Python's `mailbox` and `email` modules, CSV with `csv`; the rules below are
the ones docs/importing.md states, written again here so that Kith's counts are checked
against a second reading, not against themselves:

- mbox: `mailbox.mbox` finds every `From ` line; a candidate is a real message only when it
  starts the file or follows a blank line, its envelope is plausible (nothing after `From `,
  or a sender and something with a time and a four-digit year) and its first line is a
  header. Otherwise it is body text of the message before (mboxo and old Thunderbird do not
  escape `From ` in bodies).
- A file is refused as cut short when its last message has no blank line after its headers,
  or `email` reports its outermost multipart without its closing (or any) boundary.
- A message becomes an interaction when it has a date and at least one address in From, To,
  Cc or Bcc (every such header, not only the first); a message with no From, Date or
  Message-ID is a bare part and skipped, as is one without a date.
- CSV: LinkedIn (`Connected On` in a header line starting `First Name`; a file with LinkedIn's
  `Notes:` preamble but no such line had its name columns cut and is refused) or Google Contacts
  (`E-mail 1 - Value`, or `Given Name` and `Family Name`, or `First Name` and `Labels`);
  anything else (Outlook's CSV, Thunderbird's) is refused, as is a file that is not UTF-8.
  A quoted cell the file never closes, or a last row short of cells with no line end after it,
  is a cut file and refused. LinkedIn rows with no name, URL or
  e-mail are skipped; `urn:li:member:` is an id, not an address. Rows for the same person
  (the same URL, e-mail or member id; for Google the same first e-mail) are one contact.
  Numeric LinkedIn dates are month first unless a row has a first number over 12.

Run: python3 tests/python/real_counts.py        (writes the two expected.json files)
     python3 tests/python/real_counts.py --check (fails if they are out of date)
"""

from __future__ import annotations

import csv
import datetime as dt
import email
import email.policy
import email.utils
import hashlib
import io
import json
import mailbox
import pathlib
import re
import sys
from email import errors

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
REAL = ROOT / "tests" / "fixtures" / "real"

TIME = re.compile(r"^\d{1,2}:\d{2}(:\d{2})?$")
YEAR = re.compile(r"^\d{4}$")
HEADER = re.compile(rb"^[!-9;-~]+:")


def plausible_envelope(from_line: str) -> bool:
    words = from_line.split()
    if not words:
        return True
    rest = words[1:]
    return any(TIME.match(w) for w in rest) and any(YEAR.match(w) for w in rest)


def mbox_messages(path: pathlib.Path) -> list[bytes]:
    """The messages of an mbox as mail programs split it: bytes after the envelope line."""
    raw = path.read_bytes()
    box = mailbox.mbox(str(path), create=False)
    box._generate_toc()  # the offsets of every `From ` line Python's reader splits on
    starts = sorted(start for start, _ in box._toc.values())
    box.close()
    messages: list[tuple[int, bytes]] = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(raw)
        chunk = raw[start:end]
        envelope, _, rest = chunk.partition(b"\n")
        first = rest.split(b"\n", 1)[0]
        after_blank = start == 0 or raw[:start].endswith((b"\n\n", b"\n\r\n"))
        real = (
            after_blank
            and plausible_envelope(envelope[5:].decode("latin-1").strip())
            and (not rest or HEADER.match(first) is not None)
        )
        if real or not messages:
            messages.append((start, rest))
        else:
            prev_start, prev = messages[-1]
            messages[-1] = (prev_start, prev + chunk)
    out = []
    for _, body in messages:
        # mboxrd: one `>` comes off `>From ` lines.
        body = re.sub(rb"(?m)^>(>*From )", rb"\1", body)
        out.append(body)
    return out


def cut_short(data: bytes) -> str | None:
    data = data.lstrip(b"\r\n")
    if not data:
        return "ends after the envelope"
    if b"\n\n" not in data and b"\n\r\n" not in data:
        return "ends inside the headers"
    # Only the outermost multipart tells: a cut anywhere leaves it open, while a part nested
    # inside (a bounce quoting another message's headers) may lack its end in complete mail.
    msg = email.message_from_bytes(data)
    for d in msg.defects:
        if isinstance(d, (errors.CloseBoundaryNotFoundDefect, errors.StartBoundaryNotFoundDefect)):
            return "a multipart never closes"
    return None


def addresses(msg: email.message.Message) -> list[str]:
    values = []
    for name in ("from", "to", "cc", "bcc"):
        values.extend(str(v) for v in msg.get_all(name, []))
    found = []
    for _, addr in email.utils.getaddresses(values):
        addr = addr.strip().lower()
        if "@" in addr and addr not in found:
            found.append(addr)
    return found


def mail_expected(path: pathlib.Path) -> dict:
    if path.suffix == ".mbox":
        messages = mbox_messages(path)
    else:
        messages = [path.read_bytes()]
    why = cut_short(messages[-1]) if messages else "no message"
    if why:
        return {"refused": why}
    interactions = skipped = 0
    linked: list[str] = []
    for data in messages:
        msg = email.message_from_bytes(data)
        if not (msg["from"] or msg["date"] or msg["message-id"]):
            skipped += 1
            continue
        try:
            dated = msg["date"] is not None and email.utils.parsedate_to_datetime(str(msg["date"])) is not None
        except (TypeError, ValueError):
            dated = False
        who = addresses(msg)
        if dated and who:
            interactions += 1
            linked.extend(a for a in who if a not in linked)
        else:
            skipped += 1
    return {
        "messages": len(messages),
        "interactions": interactions,
        "skipped": skipped,
        "addresses": sorted(linked),
    }


def csv_kind(header: list[str], lines: list[str]) -> str | None:
    h = [c.strip().lower() for c in header]
    if "e-mail 1 - value" in h or ("given name" in h and "family name" in h) or ("first name" in h and "labels" in h):
        return "google"
    if lines and lines[0].startswith("Notes:"):
        return "linkedin"
    if "first name" in h and "last name" in h and ("connected on" in h or "email address" in h):
        return "linkedin"
    return None


def linkedin_date(cell: str, day_first: bool) -> dt.date:
    cell = cell.strip()
    for f in ("%d %b %Y", "%d %B %Y", "%d-%b-%y", "%d-%b-%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(cell, f).date()
        except ValueError:
            pass
    date = cell.split(",")[0].strip()
    a, b, y = (int(x) for x in re.split(r"[/.-]", date))
    if y < 100:
        y += 2000 if y < 70 else 1900
    month, day = (b, a) if day_first else (a, b)
    return dt.date(y, month, day)


def csv_expected(path: pathlib.Path) -> dict:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return {"refused": "not UTF-8"}
    lines = text.splitlines()
    skip = next((i for i, l in enumerate(lines) if l.lstrip().startswith("First Name")), None)
    if skip is None:
        if lines and lines[0].startswith("Notes:"):
            # LinkedIn's preamble, but the header (and its name columns) is gone.
            return {"refused": "a LinkedIn export with no header line starting First Name"}
        skip = 0
    body = "".join(text.splitlines(keepends=True)[skip:])
    try:
        rows = list(csv.reader(io.StringIO(body, newline=""), strict=True))
    except csv.Error as e:
        return {"refused": f"cut short: {e}"}
    if not rows:
        return {"refused": "empty"}
    header, data = rows[0], rows[1:]
    kind = csv_kind(header, lines)
    if kind is None:
        return {"refused": "not a LinkedIn or Google Contacts export"}
    if data and len(data[-1]) < len(header) and not body.endswith(("\n", "\r")):
        return {"refused": "cut short: the last row ends early"}
    col = {c.strip(): i for i, c in enumerate(header)}
    get = lambda r, c: r[col[c]].strip() if c in col and col[c] < len(r) else ""
    keys: dict[str, None] = {}
    skipped = 0
    if kind == "linkedin":
        nums = [re.split(r"[/.-]", get(r, "Connected On").split(",")[0]) for r in data]
        day_first = any(len(n) == 3 and n[0].isdigit() and int(n[0]) > 12 for n in nums)
        met = []
        for r in data:
            name = f"{get(r, 'First Name')} {get(r, 'Last Name')}".strip()
            url = get(r, "URL").lower().rstrip("/")
            cell = get(r, "Email Address")
            mail = cell.lower() if "@" in cell else ""
            member = cell[len("urn:li:member:"):] if cell.startswith("urn:li:member:") else ""
            if not (name or url or mail):
                skipped += 1
                continue
            key = url or mail or member or "name:" + name + "|" + get(r, "Company")
            keys[key] = None
            if get(r, "Connected On"):
                met.append(linkedin_date(get(r, "Connected On"), day_first))
        out = {"kind": kind, "contacts": len(keys), "skipped": skipped}
        if met:
            out["first_met"] = min(met).isoformat()
            out["last_met"] = max(met).isoformat()
        return out
    email_cols = [c for c in header if c.startswith("E-mail ") and c.endswith(" - Value")]
    dates = [c for c in header if c == "Birthday" or (c.startswith("Event ") and c.endswith(" - Value"))]
    for r in data:
        mails = [m.strip() for c in email_cols for m in get(r, c).split(":::") if m.strip()]
        name = get(r, "Name") or " ".join(
            v for v in (get(r, c) for c in ("First Name", "Middle Name", "Last Name", "Given Name", "Additional Name", "Family Name")) if v
        )
        org = get(r, "Organization Name") or get(r, "Organization 1 - Name")
        if not (name or mails or org):
            skipped += 1
            continue
        key = mails[0].lower() if mails else hashlib.sha1(f"{name}|{org}".encode()).hexdigest()
        keys[key] = None
    return {
        "kind": kind,
        "contacts": len(keys),
        "skipped": skipped,
        "date_columns": [c for c in dates if any(get(r, c) for r in data)],
    }


def main() -> int:
    results = {}
    for folder, fn in (("mail", mail_expected), ("csv", csv_expected)):
        files = sorted(p for p in (REAL / folder).iterdir() if p.suffix in (".eml", ".mbox", ".csv"))
        expected = {p.name: fn(p) for p in files}
        results[folder] = expected
        target = REAL / folder / "expected.json"
        new = json.dumps(expected, indent=2, ensure_ascii=False) + "\n"
        if "--check" in sys.argv:
            if not target.exists() or target.read_text(encoding="utf-8") != new:
                print(f"{target} is out of date: run python3 tests/python/real_counts.py")
                return 1
        else:
            target.write_text(new, encoding="utf-8")
    for folder, expected in results.items():
        refused = sum(1 for e in expected.values() if "refused" in e)
        print(f"{folder}: {len(expected)} files, {len(expected) - refused} to import, {refused} to refuse")
    return 0


if __name__ == "__main__":
    sys.exit(main())
