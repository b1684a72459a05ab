"""Expected import counts for the real Mastodon CSV downloads in tests/fixtures/real/mastodon,
worked out from Mastodon's own export formats with Python's csv module, not with Kith.

Mastodon writes (app/services/export_service.rb, app/models/export.rb):
  following_accounts.csv  header "Account address,Show boosts,Notify on new posts,Languages";
                          before 3.x a header-less account per line
  muted_accounts.csv      header "Account address,Hide notifications"
  blocked_accounts.csv    header-less, an account per line ("Account address,Stealth" in imports)
  domain_blocks.csv       header-less, a domain per line (a server's list: "#domain,#severity,...")
  bookmarks.csv           header-less, a post address per line
  lists.csv               header-less "list title,user@host"
Followed accounts become contacts; list members become contacts; mutes, blocks, blocked domains
and bookmarks add nobody and are counted as skipped. A bare user name (no @host) in a follows
file names an account on the user's own server, unknown in a file on its own: skipped.

Whole archives (a zip, or the folder one was unpacked into) are counted from Mastodon's
ActivityStreams files, read with Python's json and zipfile modules:
  outbox.json   each `Create` of a `Note` whose `tag` list holds a `Mention` of someone other
                than the archive's owner is one interaction, public when the post is addressed
                to the Public collection (`to` or `cc`); every other item (boosts, posts that
                mention nobody, other object types) is skipped. The mentioned account is
                `user@host` from the mention's name `@user@host`, or `@user` with the host
                of its profile address (`href`), in lower case; each distinct one is a contact.
  actor.json    names the owner (`preferredUsername` on the host of its `id`).
  likes.json, bookmarks.json, media: not read.

Run:  python3 tests/python/real_social_counts.py          (prints the JSON)
      python3 tests/python/real_social_counts.py --write  (rewrites expected.json)
"""

import csv
import json
import pathlib
import sys
import zipfile

HERE = pathlib.Path(__file__).resolve().parent
MASTODON = HERE.parent / "fixtures" / "real" / "mastodon"


def rows(text):
    return [[c.strip() for c in r] for r in csv.reader(text.splitlines()) if any(c.strip() for c in r)]


def is_account(cell):
    user, _, host = cell.lstrip("@").partition("@")
    return bool(user) and bool(host) and not any(ch in cell for ch in "/ ")


def count(path):
    text = path.read_text(encoding="utf-8-sig")
    table = rows(text)
    header = table[0][0].lower() if table else ""
    out = {"file": path.name, "contacts": 0, "following": 0, "interactions": 0, "skipped": 0}
    if header == "account address":
        second = ",".join(table[0][1:]).lower()
        body = table[1:]
        if "hide notifications" in second or "stealth" in second:
            out["skipped"] = len(body)
            return out
        accounts = {r[0].lstrip("@").lower() for r in body if is_account(r[0])}
        out["skipped"] = sum(1 for r in body if not is_account(r[0]))
        out["contacts"] = out["following"] = len(accounts)
        return out
    if header.startswith("#domain"):
        out["skipped"] = len(table) - 1
        return out
    if all(len(r) == 1 and r[0].startswith(("http://", "https://")) for r in table):
        out["skipped"] = len(table)
        return out
    if all(len(r) == 1 and is_account(r[0]) for r in table):
        name = path.name.lower()
        if "block" in name or "mute" in name:
            out["skipped"] = len(table)
        else:
            out["contacts"] = out["following"] = len({r[0].lstrip("@").lower() for r in table})
        return out
    if all(len(r) == 2 and is_account(r[1]) for r in table):
        out["contacts"] = len({r[1].lstrip("@").lower() for r in table})
        return out
    raise SystemExit(f"{path.name}: not a Mastodon CSV download")


def host_of(url):
    return url.split("://", 1)[1].split("/", 1)[0].lower() if "://" in url else ""


def mentioned(tag, owner_host):
    name = (tag.get("name") or "").strip().lstrip("@")
    if "@" in name:
        user, _, host = name.partition("@")
        return f"{user.lower()}@{host.lower()}"
    href = tag.get("href") or ""
    host = host_of(href) or owner_host
    user = name or href.rstrip("/").rsplit("/", 1)[-1].lstrip("@")
    return f"{user.lower()}@{host}"


def archive_files(path):
    """outbox.json and actor.json of a zip or of a folder, as text."""
    if path.is_dir():
        return {n: (path / n).read_text(encoding="utf-8") for n in ("outbox.json", "actor.json") if (path / n).exists()}
    with zipfile.ZipFile(path) as z:
        names = {pathlib.PurePosixPath(n).name: n for n in z.namelist()}
        return {n: z.read(names[n]).decode("utf-8") for n in ("outbox.json", "actor.json") if n in names}


def count_archive(path):
    files = archive_files(path)
    actor = json.loads(files["actor.json"])
    owner_id = actor["id"]
    owner = f"{actor['preferredUsername'].lower()}@{host_of(owner_id)}"
    outbox = json.loads(files["outbox.json"])
    contacts, interactions, public, skipped = set(), 0, 0, 0
    for item in outbox["orderedItems"]:
        obj = item.get("object")
        if item.get("type") != "Create" or not isinstance(obj, dict) or obj.get("type") != "Note":
            skipped += 1
            continue
        people = {
            mentioned(t, host_of(owner_id))
            for t in obj.get("tag", [])
            if t.get("type") == "Mention" and t.get("href") != owner_id
        } - {owner}
        if not people:
            skipped += 1
            continue
        contacts |= people
        interactions += 1
        audience = obj.get("to", []) + obj.get("cc", [])
        public += "https://www.w3.org/ns/activitystreams#Public" in audience
    return {
        "file": path.name,
        "owner": "@" + owner,
        "owner_name": actor.get("name", ""),
        "contacts": len(contacts),
        "interactions": interactions,
        "public": public,
        "skipped": skipped,
    }


def main():
    files = sorted(p for p in MASTODON.iterdir() if p.suffix in (".csv", ".txt"))
    archives = sorted(p for p in MASTODON.iterdir() if p.suffix == ".zip" or p.is_dir())
    result = {"mastodon": [count(p) for p in files], "archives": [count_archive(p) for p in archives]}
    text = json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    if "--write" in sys.argv:
        (MASTODON / "expected.json").write_text(text, encoding="utf-8")
    print(text, end="")


if __name__ == "__main__":
    main()
