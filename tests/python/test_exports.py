"""Kith's exports, read back by parsers nobody on the project wrote.

The exports are produced by the real CLI from `sample-network.json`, a network with the text
imports bring in (markup, separators, formulas, line breaks, invisible characters, emoji, a
10 kB name) and with private notes and private interactions:

    kith --db <tmp>/k.sqlite3 import tests/python/sample-network.json
    kith --db <tmp>/k.sqlite3 export --format vcard --out <tmp>/contacts.vcf [--include-private]

Run with `pytest tests/python` after `cargo build` (set KITH_BIN to use another binary).
Needs: pip install vobject icalendar python-frontmatter pytest
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import pathlib
import subprocess
import unicodedata

import frontmatter
import icalendar
import pytest
import vobject

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SAMPLE = HERE / "sample-network.json"
KITH = pathlib.Path(os.environ.get("KITH_BIN", ROOT / "target" / "debug" / "kith"))

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# ---- what the exporters promise to do with text -----------------------------------------------


def clean(s: str) -> str:
    """Line breaks as \\n, other control characters dropped, everything else kept."""
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    for br in ("\x85", "\u2028", "\u2029"):
        s = s.replace(br, "\n")
    return "".join(c for c in s if c in "\t\n" or unicodedata.category(c) != "Cc")


def one_line(s: str) -> str:
    return clean(s).replace("\n", " ").replace("\t", " ").strip()


def defused(s: str) -> str:
    """A CSV cell as written: cleaned, and text that a spreadsheet would run gets a quote, at
    the start of the cell and after every `,`, `;`, tab or line break (spaces and quotes
    skipped)."""
    out, starts = [], True
    for c in clean(s):
        if starts and c in FORMULA_STARTS:
            out.append("'")
        out.append(c)
        if c in ",;\t\n\r":
            starts = True
        elif c not in ' "':
            starts = False
    return "".join(out)


def handles(contact: dict, platform: str) -> list[str]:
    value = contact.get("handles", {}).get(platform, [])
    return [value] if isinstance(value, str) else list(value)


def role_kinds(contact: dict) -> list[str]:
    return [r if isinstance(r, str) else r["kind"] for r in contact.get("roles", [])]


def when(s: str) -> dt.datetime:
    return dt.datetime.fromisoformat(s.replace("Z", "+00:00"))


# ---- running the CLI --------------------------------------------------------------------------


def kith(*args) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(KITH), *map(str, args)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, f"kith {' '.join(map(str, args))} failed:\n{result.stderr}"
    return result


@pytest.fixture(scope="session")
def sample() -> dict:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def contacts(sample) -> dict[str, dict]:
    return {c["id"]: c for c in sample["contacts"]}


@pytest.fixture(scope="session")
def private_texts(sample) -> list[str]:
    """Text that must not appear in a sharing export."""
    texts = [c["private_notes"] for c in sample["contacts"] if c.get("private_notes")]
    texts += [i["text"] for i in sample["interactions"] if not i.get("public", True)]
    assert len(texts) >= 4, "the sample needs private notes and private interactions"
    return texts


@pytest.fixture(scope="session")
def store(tmp_path_factory) -> pathlib.Path:
    if not KITH.is_file():
        pytest.fail(f"{KITH} does not exist: run `cargo build` first or set KITH_BIN")
    db = tmp_path_factory.mktemp("store") / "k.sqlite3"
    kith("--db", db, "import", SAMPLE)
    return db


@pytest.fixture(scope="session")
def export(store, tmp_path_factory):
    """export(format, private) -> the path written (a folder for Markdown)."""
    done: dict[tuple[str, bool], pathlib.Path] = {}

    def run(fmt: str, private: bool = False) -> pathlib.Path:
        key = (fmt, private)
        if key not in done:
            folder = tmp_path_factory.mktemp(f"{fmt}-{'private' if private else 'sharing'}")
            name = {"vcard": "contacts.vcf", "ics": "kith.ics", "csv": "contacts.csv"}
            out = folder / name.get(fmt, "notes")
            args = ["--db", store, "export", "--format", fmt, "--out", out]
            if private:
                args.append("--include-private")
            kith(*args)
            assert out.exists(), f"kith export --format {fmt} wrote nothing at {out}"
            done[key] = out
        return done[key]

    return run


def shown_interactions(sample: dict, contact_id: str, private: bool) -> list[dict]:
    return [
        i
        for i in sample["interactions"]
        if contact_id in i["contact_ids"] and (private or i.get("public", True))
    ]


# ---- vCard (vobject) --------------------------------------------------------------------------


def read_cards(path: pathlib.Path) -> dict[str, vobject.base.Component]:
    cards = list(vobject.readComponents(path.read_text(encoding="utf-8")))
    by_uid = {card.uid.value: card for card in cards}
    assert len(by_uid) == len(cards), "UIDs are unique"
    return by_uid


def values(card, name: str) -> list:
    return [line.value for line in card.contents.get(name, [])]


def test_vcard_has_one_card_per_contact_and_nothing_injected(export, contacts):
    path = export("vcard")
    raw = path.read_bytes()
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    for line in raw.split(b"\r\n"):
        assert len(line) <= 75, line
        line.decode("utf-8")  # folding never splits a character
    cards = read_cards(path)
    assert set(cards) == {f"urn:kith:{cid}" for cid in contacts}
    assert all(card.version.value == "4.0" for card in cards.values())
    assert not any(card.fn.value == "Injected" for card in cards.values())


def test_vcard_fields_survive(export, contacts):
    cards = read_cards(export("vcard"))
    for cid, contact in contacts.items():
        card = cards[f"urn:kith:{cid}"]
        assert card.fn.value == one_line(contact["name"])
        assert sorted(values(card, "email")) == sorted(handles(contact, "email"))
        assert values(card, "tel") == handles(contact, "phone")
        if contact.get("organisation"):
            org = card.org.value
            org = org if isinstance(org, str) else ";".join(org)
            assert org == one_line(contact["organisation"])
        if contact.get("location"):
            assert card.adr.value.city == one_line(contact["location"])
        categories = [c for line in values(card, "categories") for c in line]
        for kind in dict.fromkeys(role_kinds(contact)):
            assert kind in categories
        for tag in contact.get("tags", []):
            assert tag in categories
        urls = values(card, "url")
        for blog in handles(contact, "blog") + handles(contact, "linkedin"):
            assert any(blog.split("://")[-1] in u for u in urls), (blog, urls)
        note = card.contents.get("note")
        if contact.get("notes"):
            assert note[0].value == clean(contact["notes"]).strip()


def test_vcard_names_and_social_profiles(export):
    cards = read_cards(export("vcard"))
    ana = cards["urn:kith:c-ana"]
    assert (ana.n.value.family, ana.n.value.given) == ("Ruiz", "Ana")
    siobhan = cards["urn:kith:c-siobhan"]
    assert (siobhan.n.value.family, siobhan.n.value.given) == ("O'Brien", "Siobhán")
    profiles = {
        line.params["TYPE"][0]: line.value for line in ana.contents["x-socialprofile"]
    }
    assert profiles == {
        "twitter": "https://twitter.com/anaruiz_lib",
        "mastodon": "https://glammr.us/@anaruiz",
    }
    mia = cards["urn:kith:c-mia"]
    assert mia.contents["x-socialprofile"][0].value == "https://bsky.app/profile/mia.bsky.social"
    long = cards["urn:kith:c-long"]
    assert len(long.fn.value.encode()) > 10_000


def test_vcard_private_notes_only_when_asked(export, contacts, private_texts):
    sharing = export("vcard").read_text(encoding="utf-8").replace("\r\n ", "")
    for text in private_texts:
        for escaped in (text, text.replace(";", "\\;").replace(",", "\\,")):
            assert escaped not in sharing
    cards = read_cards(export("vcard", private=True))
    for cid, contact in contacts.items():
        if contact.get("private_notes"):
            note = cards[f"urn:kith:{cid}"].note.value
            assert note.endswith("Private notes:\n" + contact["private_notes"])


# ---- iCalendar (icalendar) --------------------------------------------------------------------


def test_icalendar_events_are_all_day_and_complete(export, sample, contacts):
    path = export("ics")
    for line in path.read_bytes().split(b"\r\n"):
        assert len(line) <= 75, line
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    assert calendar["VERSION"] == "2.0"
    assert "Kith" in str(calendar["PRODID"])
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {f"{e['id']}@kith" for e in sample["events"]}
    for expected in sample["events"]:
        event = events[f"{expected['id']}@kith"]
        assert str(event["SUMMARY"]) == one_line(expected["name"])
        start = dt.date.fromisoformat(expected["starts_on"])
        end = dt.date.fromisoformat(expected.get("ends_on", expected["starts_on"]))
        assert event.decoded("DTSTART") == start
        assert event.decoded("DTEND") == end + dt.timedelta(days=1)
        assert isinstance(event.decoded("DTSTAMP"), dt.datetime)
        if expected.get("location"):
            assert str(event["LOCATION"]) == one_line(expected["location"])
        description = str(event["DESCRIPTION"])
        for tag in expected.get("hashtags", []):
            assert tag in description
        for cid in expected.get("attendee_ids", []):
            assert one_line(contacts[cid]["name"]) in description
        if expected.get("notes"):
            assert description.endswith(clean(expected["notes"]).strip())
    assert not any(str(c.get("SUMMARY", "")) == "Injected" for c in calendar.walk())


# ---- CSV (Python's csv) -----------------------------------------------------------------------

CSV_COLUMNS = (
    "id,name,roles,organisation,location,email,twitter,mastodon,bluesky,blog,linkedin,phone,"
    "tags,expertise,met_where,met_on,met_through,notes"
).split(",")


def read_csv(path: pathlib.Path) -> tuple[list[str], dict[str, dict]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        return list(reader.fieldnames or []), {r["id"]: r for r in rows}


def test_csv_columns_and_values_survive(export, sample, contacts, private_texts):
    header, rows = read_csv(export("csv"))
    assert header == CSV_COLUMNS + ["interaction_count", "last_interaction_at"]
    assert set(rows) == set(contacts)
    for cid, contact in contacts.items():
        row = rows[cid]
        assert row["name"] == defused(contact["name"])
        assert row["organisation"] == defused(contact.get("organisation", ""))
        assert row["notes"] == defused(contact.get("notes", ""))
        for platform in ("email", "twitter", "mastodon", "bluesky", "blog", "linkedin", "phone"):
            assert row[platform] == defused("; ".join(handles(contact, platform)))
        assert row["tags"] == defused("; ".join(contact.get("tags", [])))
        assert row["met_on"] == contact.get("met_on", "")
        shown = shown_interactions(sample, cid, private=False)
        assert row["interaction_count"] == str(len(shown))
        last = max((when(i["occurred_at"]) for i in shown), default=None)
        assert row["last_interaction_at"] == (
            last.strftime("%Y-%m-%dT%H:%M:%SZ") if last else ""
        )
        for text in private_texts:
            assert all(text not in cell for cell in row.values())
    assert rows["c-mia"]["organisation"].startswith("'=HYPERLINK(")
    assert rows["c-ana"]["twitter"] == "'@anaruiz_lib"
    assert rows["c-ana"]["phone"] == "'+64 4 555 0199"
    assert rows["c-ana"]["roles"].startswith("mentor (acknowledged): Koha serials, career; expert")


def test_csv_with_private_data(export, sample, contacts):
    header, rows = read_csv(export("csv", private=True))
    assert header == CSV_COLUMNS + ["private_notes", "interaction_count", "last_interaction_at"]
    for cid, contact in contacts.items():
        assert rows[cid]["private_notes"] == defused(contact.get("private_notes", ""))
        shown = shown_interactions(sample, cid, private=True)
        assert rows[cid]["interaction_count"] == str(len(shown))


# ---- Markdown (python-frontmatter, PyYAML) ----------------------------------------------------


def read_notes(folder: pathlib.Path) -> dict[str, frontmatter.Post]:
    files = sorted(folder.glob("*.md"))
    notes = {}
    for f in files:
        post = frontmatter.load(f)
        notes[post["id"]] = post
    assert len(notes) == len(files)
    return notes


def test_markdown_file_names_are_safe(export, contacts):
    folder = export("markdown")
    names = [p.name for p in folder.iterdir()]
    assert len(names) == len(contacts)
    assert len({n.lower() for n in names}) == len(names)
    for name in names:
        assert name.endswith(".md")
        assert not name.startswith(".")
        assert not any(c in name for c in '/\\:*?"<>|')
        assert not any(unicodedata.category(c) in ("Cc", "Cf") and c != "\u200d" for c in name)
        assert len(name.encode()) <= 255
    assert "Aroha 🦉 Ngata 👩\u200d💻.md" in names
    assert "O'Brien, Siobhán.md" in names


def test_markdown_front_matter_survives_a_yaml_parser(export, sample, contacts):
    notes = read_notes(export("markdown"))
    assert set(notes) == set(contacts)
    for cid, contact in contacts.items():
        meta = notes[cid].metadata
        assert meta["name"] == contact["name"]
        assert isinstance(meta["name"], str)
        assert [r["kind"] for r in meta["roles"]] == role_kinds(contact)
        assert meta["tags"] == contact.get("tags", [])
        assert all(isinstance(t, str) for t in meta["tags"])
        assert meta["expertise"] == contact.get("expertise", [])
        assert meta["organisation"] == contact.get("organisation", "")
        assert meta["location"] == contact.get("location", "")
        for platform in ("email", "twitter", "mastodon", "bluesky", "blog", "linkedin", "phone"):
            assert meta["handles"].get(platform, []) == handles(contact, platform)
        met_on = contact.get("met_on")
        assert meta["met"]["on"] == (dt.date.fromisoformat(met_on) if met_on else None)
        assert meta["met"]["where"] == contact.get("met_where", "")
        assert meta["met"]["through"] == contact.get("met_through", "")
        shown = shown_interactions(sample, cid, private=False)
        assert meta["interaction_count"] == len(shown)
        days = sorted(when(i["occurred_at"]).date() for i in shown)
        assert meta["first_interaction"] == (days[0] if days else None)
        assert meta["last_interaction"] == (days[-1] if days else None)
    ana_mentor = notes["c-ana"]["roles"][0]
    assert ana_mentor == {
        "kind": "mentor",
        "direction": "they_advise_me",
        "topics": ["Koha serials", "career"],
        "acknowledged": True,
    }


def test_markdown_body_is_text_not_markup(export):
    notes = read_notes(export("markdown", private=True))
    for post in notes.values():
        lines = post.content.splitlines()
        assert sum(1 for line in lines if line.startswith("# ")) == 1
        sections = {line for line in lines if line.startswith("## ")}
        assert sections <= {"## Notes", "## Private notes", "## Interactions"}
        assert "<script>" not in post.content and "<b>" not in post.content
    mia = notes["c-mia"].content
    assert "\\<script\\>alert('xss')\\</script\\>" in mia
    assert "### 2025-02-10 10:00 UTC · Bluesky · inbound" in mia
    # Newest first.
    assert mia.index("2025-02-10 10:00") < mia.index("2025-02-03 04:00") < mia.index("2025-01-20")


def test_markdown_private_data_only_when_asked(export, private_texts):
    for f in export("markdown").iterdir():
        text = f.read_text(encoding="utf-8")
        assert "## Private notes" not in text
        for secret in private_texts:
            assert secret not in text, (f.name, secret)
    everything = "\n".join(
        f.read_text(encoding="utf-8") for f in export("markdown", private=True).iterdir()
    )
    for secret in private_texts:
        assert secret in everything


# ---- important dates (vobject, icalendar) -----------------------------------------------------

DATED = {
    "format": "kith-archive",
    "version": 1,
    "contacts": [
        {"id": "d1", "name": "Zoë Ōtake",
         "dates": [{"kind": "birthday", "date": "1985-04-12"},
                   {"kind": "anniversary", "date": "--06-01"},
                   {"kind": "other", "label": "joined the library", "date": "2010-02-28"}]},
        {"id": "d2", "name": "Леся Українка", "dates": [{"kind": "birthday", "date": "--02-29"}]},
    ],
}


@pytest.fixture(scope="session")
def dated(tmp_path_factory) -> pathlib.Path:
    if not KITH.is_file():
        pytest.fail(f"{KITH} does not exist: run `cargo build` first or set KITH_BIN")
    folder = tmp_path_factory.mktemp("dated")
    archive = folder / "dated.json"
    archive.write_text(json.dumps(DATED, ensure_ascii=False), encoding="utf-8")
    kith("--db", folder / "k.sqlite3", "import", archive)
    for fmt, name in (("vcard", "contacts.vcf"), ("ics", "kith.ics")):
        kith("--db", folder / "k.sqlite3", "export", "--format", fmt, "--out", folder / name)
    return folder


def test_vcard_birthdays_and_anniversaries_parse(dated):
    cards = {str(c.fn.value): c for c in vobject.readComponents(
        (dated / "contacts.vcf").read_text(encoding="utf-8"))}
    zoe = cards["Zoë Ōtake"]
    assert zoe.bday.value == "19850412"
    assert zoe.anniversary.value == "--0601"
    lesya = cards["Леся Українка"]
    assert lesya.bday.value == "--0229"
    assert "anniversary" not in lesya.contents


def test_icalendar_dates_are_yearly_all_day_events(dated):
    calendar = icalendar.Calendar.from_ical((dated / "kith.ics").read_bytes())
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {
        "Birthday: Zoë Ōtake", "Anniversary: Zoë Ōtake", "joined the library: Zoë Ōtake",
        "Birthday: Леся Українка",
    }
    for event in events.values():
        assert event["RRULE"]["FREQ"] == ["YEARLY"]
        start = event.decoded("DTSTART")
        assert isinstance(start, dt.date) and not isinstance(start, dt.datetime)
        assert event.decoded("DTEND") == start + dt.timedelta(days=1)
    assert events["Birthday: Zoë Ōtake"].decoded("DTSTART") == dt.date(1985, 4, 12)
    leap = events["Birthday: Леся Українка"].decoded("DTSTART")
    assert (leap.month, leap.day) == (2, 29)
    assert len({str(e["UID"]) for e in events.values()}) == 4
