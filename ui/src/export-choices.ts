// What the export dialog offers, and the words it uses: pure, so it is tested on its own.

import type { ExportDone, ExportKind, ExportOptions, ExportScope, SaveTarget } from "./bindings";

/** One line of the format list: a kind plus, for Markdown, one file or a folder of notes. */
export type ExportChoice = "markdown-folder" | "markdown-file" | "csv" | "vcard" | "ics" | "json";

export interface ChoiceInfo {
  choice: ExportChoice;
  label: string;
  detail: string;
  kind: ExportKind;
  target: SaveTarget;
  /** The file name offered in the save dialog (a folder name for notes). */
  fileName: string;
}

export const CHOICES: readonly ChoiceInfo[] = [
  {
    choice: "markdown-folder",
    label: "Markdown notes",
    detail: "A folder with one note per person, with front matter: ready for Obsidian or any editor.",
    kind: "markdown",
    target: "markdown_folder",
    fileName: "kith-notes",
  },
  {
    choice: "markdown-file",
    label: "One Markdown document",
    detail: "Everyone in one file, to read or print.",
    kind: "markdown",
    target: "markdown_file",
    fileName: "kith-contacts.md",
  },
  {
    choice: "csv",
    label: "Spreadsheet (CSV)",
    detail: "One row per person, for a spreadsheet.",
    kind: "csv",
    target: "csv",
    fileName: "kith-contacts.csv",
  },
  {
    choice: "vcard",
    label: "Address book (vCard)",
    detail: "vCard 4.0, for your address book or phone: handles, notes and roles included.",
    kind: "vcard",
    target: "vcard",
    fileName: "kith-contacts.vcf",
  },
  {
    choice: "ics",
    label: "Calendar (iCalendar)",
    detail: "Events, and follow-ups as to-dos with their due dates.",
    kind: "ics",
    target: "ics",
    fileName: "kith-calendar.ics",
  },
  {
    choice: "json",
    label: "Full archive (JSON)",
    detail: "A complete backup of everything, private notes included, that Kith can import again.",
    kind: "json",
    target: "archive_json",
    fileName: "kith-archive.json",
  },
];

export function choiceInfo(choice: ExportChoice): ChoiceInfo {
  const found = CHOICES.find((c) => c.choice === choice);
  if (!found) throw new Error(`unknown export choice ${choice}`);
  return found;
}

/** A name that is safe as a file name on every desktop system, from a person's name. */
export function safeFileStem(name: string): string {
  const stem = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "")
    .slice(0, 60);
  return stem || "contact";
}

/** The file name to offer: the choice's default, or one naming the only person exported. */
export function suggestedName(choice: ExportChoice, scope: ExportScope, oneName: string | null): string {
  const info = choiceInfo(choice);
  if (choice === "json") return info.fileName;
  const stem = scope.kind === "tag" ? `kith-${safeFileStem(scope.tag)}` : scope.kind === "contacts" && oneName ? safeFileStem(oneName) : null;
  if (!stem) return info.fileName;
  const dot = info.fileName.lastIndexOf(".");
  return choice === "markdown-folder" ? `${stem}-notes` : `${stem}${dot >= 0 ? info.fileName.slice(dot) : ""}`;
}

/** How long ago a to-do may have been due and still go into a calendar without the switch
 * (the core's `OVERDUE_DAYS_KEPT`). */
export const OVERDUE_DAYS_KEPT = 30;

/** The options sent with the request; private data only when the switch is on, long-overdue
 * to-dos only in a calendar and only when that switch is on. */
export function optionsFor(choice: ExportChoice, includePrivate: boolean, csvBom: boolean, includeOverdue = false): ExportOptions {
  return {
    include_private: choice !== "json" && includePrivate,
    csv_bom: choice === "csv" && csvBom,
    markdown_combined: choice === "markdown-file",
    include_overdue: choice === "ics" && includeOverdue,
  };
}

const count = (n: number, one: string, many: string): string => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

/** What an export did, in one or two sentences. */
export function describeExport(done: ExportDone, choice: ExportChoice): string {
  const who = count(done.contacts, "contact", "contacts");
  const what =
    choice === "markdown-folder"
      ? `Wrote ${count(done.files, "note", "notes")} (${who}) to ${done.path}.`
      : choice === "json"
        ? `Wrote the full archive (${who}) to ${done.path}.`
        : `Exported ${who} to ${done.path}.`;
  return done.left_out_note ? `${what} ${done.left_out_note}` : what;
}
