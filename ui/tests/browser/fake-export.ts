// The export command of the fake backend: the same rules as the real one (full paths only, the
// archive only for everyone, private data left out unless asked, and never replacing a file
// without `overwrite`), over a pretend file system the test can inspect and fill.

import type { ExportDone, ExportRequest } from "../../src/bindings";
import type { Extension, FakeContext } from "./fake-commands";

export interface FakeDisk {
  /** Paths that exist, as if on disk (files, and the notes inside folders). */
  existing: string[];
  /** Every export written, in order. */
  written: ExportRequest[];
}

declare global {
  interface Window {
    __kithFakeDisk?: FakeDisk;
  }
}

const disk: FakeDisk = { existing: [], written: [] };
window.__kithFakeDisk = disk;

export const exportExtension = (ctx: FakeContext) =>
  ({
    exportData: (request) => exportData(request, ctx),
  }) satisfies Extension;

function exportData(req: ExportRequest, { store, fail }: FakeContext): ExportDone {
  const path = req.path.trim();
  if (!path) return fail("invalid_input", "choose where to save the export (Choose…), or type a full path");
  if (!path.startsWith("/")) return fail("invalid_input", `${path}: type a full path (starting with /), or use Choose…`);
  if (req.kind === "json" && req.scope.kind !== "everyone") {
    return fail("invalid_input", "the JSON archive is a full backup of everything; to share some contacts, choose Markdown, CSV, vCard or iCalendar");
  }
  let contacts = [...store.contacts.values()];
  if (req.scope.kind === "tag") {
    const tag = req.scope.tag.trim().toLowerCase();
    contacts = contacts.filter((c) => c.tags.some((t) => t.toLowerCase() === tag));
    if (!contacts.length) return fail("invalid_input", `no contact has the tag "${req.scope.tag}"`);
  } else if (req.scope.kind === "contacts") {
    const ids = new Set(req.scope.ids);
    if (!ids.size) return fail("invalid_input", "choose at least one contact to export");
    contacts = contacts.filter((c) => ids.has(c.id));
  }
  const folder = req.kind === "markdown" && !req.options.markdown_combined;
  const targets = folder ? contacts.map((c) => `${path}/${c.name.replace(/[^A-Za-z0-9]+/g, "-")}.md`) : [path];
  const there = targets.filter((t) => disk.existing.includes(t));
  if (there.length && !req.overwrite) {
    const more = there.length > 1 ? ` (and ${there.length - 1} more files)` : "";
    return fail("exists", `${there[0]} already exists${more}; nothing was written. Choose another name, or agree to replace it.`);
  }
  for (const t of targets) if (!disk.existing.includes(t)) disk.existing.push(t);
  disk.written.push(req);
  const chosen = new Set(contacts.map((c) => c.id));
  const sharing = req.kind !== "json" && !req.options.include_private;
  const privateNotes = sharing ? contacts.filter((c) => c.private_notes.trim() !== "").length : 0;
  const privateInteractions = sharing
    ? [...store.interactions.values()].filter((i) => !i.public && i.contact_ids.some((id) => chosen.has(id))).length
    : 0;
  const parts: string[] = [];
  if (privateNotes) parts.push(`${privateNotes} private note${privateNotes === 1 ? "" : "s"}`);
  if (privateInteractions) parts.push(`${privateInteractions} private interaction${privateInteractions === 1 ? "" : "s"}`);
  const done: ExportDone = {
    path,
    files: folder ? targets.length : 1,
    contacts: req.kind === "json" ? store.contacts.size : contacts.length,
    left_out: { private_notes: privateNotes, private_interactions: privateInteractions },
    left_out_note: parts.length ? `Left out ${parts.join(" and ")}: private data is only exported when asked.` : null,
  };
  return done;
}
