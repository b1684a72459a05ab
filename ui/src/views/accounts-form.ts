// The form that adds an account: a mailbox over IMAP (server, security, user, password, the
// user's own addresses, a certificate file for a self-signed server, folders), a blog's feed
// (its address, and whether it is the user's own blog or a contact's), a Mastodon account
// (its server; the sign-in happens in the browser), a Bluesky account (handle and app
// password; the PDS and the PLC directory only for a private network), an address book
// (CardDAV: which contacts go there, and whether private notes do) or a calendar (CalDAV). It
// says where the password or the sign-in will be kept, or that a password will be asked for at
// each sync.

import { html, nothing, type TemplateResult } from "lit-html";
import * as api from "../api";
import type { FeedOwner, ImapSecurity, PasswordKeeping } from "../api";
import { toApiError } from "../api";
import { splitAddresses, splitFolders } from "../account-words";
import type { ContactRef } from "../drafts";
import { icon } from "../icons";
import type { App } from "../app";
import { ContactPicker } from "./contact-picker";

type Kind = "imap" | "feed" | "mastodon" | "bluesky" | "carddav" | "caldav";

const KINDS: Kind[] = ["imap", "feed", "mastodon", "bluesky", "carddav", "caldav"];

const KIND_LABEL: Record<Kind, string> = {
  imap: "Mailbox (IMAP)",
  feed: "Blog feed (RSS or Atom)",
  mastodon: "Mastodon",
  bluesky: "Bluesky",
  carddav: "Address book (CardDAV)",
  caldav: "Calendar (CalDAV)",
};

const NAME_EXAMPLE: Record<Kind, string> = {
  imap: "Work mail",
  feed: "Pita's blog",
  mastodon: "Mastodon",
  bluesky: "Bluesky",
  carddav: "Phone contacts",
  caldav: "Calendar",
};

const DEFAULT_PORT: Record<"tls" | "starttls", number> = { tls: 993, starttls: 143 };

export class AccountForm {
  private kind: Kind = "imap";
  private name = "";
  private host = "";
  private port = "";
  private security: "tls" | "starttls" = "tls";
  private user = "";
  private password = "";
  private addresses = "";
  private caFile = "";
  private folders = "";
  private url = "";
  private server = "";
  private handle = "";
  private service = "";
  private plc = "";
  private scopeTag = "";
  private byTag = false;
  private includePrivate = false;
  private calendar = "";
  private mine = true;
  private owner: ContactRef[] = [];
  private saving = false;
  private problem: string | null = null;
  private readonly picker: ContactPicker;

  constructor(
    private readonly app: App,
    private readonly keeping: () => PasswordKeeping | null,
    private readonly added: () => void,
  ) {
    // One contact at most: picking another replaces the first.
    this.picker = new ContactPicker(
      app,
      () => this.owner,
      (refs) => {
        this.owner = refs.slice(-1);
        this.problem = null;
      },
      "Type the name of the blog's author…",
    );
  }

  private reset(): void {
    this.name = this.host = this.port = this.user = this.password = "";
    this.addresses = this.caFile = this.folders = this.url = this.server = "";
    this.handle = this.service = this.plc = "";
    this.scopeTag = this.calendar = "";
    this.byTag = this.includePrivate = false;
    this.security = "tls";
    this.mine = true;
    this.owner = [];
    this.problem = null;
  }

  private async submit(): Promise<void> {
    if (this.saving) return;
    const name = this.name.trim();
    if (!name) return this.refuse("Give the account a name, such as “Work mail” or “Pita's blog”.");
    this.saving = true;
    this.problem = null;
    this.app.invalidate();
    try {
      if (this.kind === "imap") {
        const host = this.host.trim();
        if (!host) return this.refuse("Give the mail server's name, such as imap.example.org.");
        if (!this.user.trim()) return this.refuse("Give the user name you log in to the mail server with.");
        const port = this.port.trim() === "" ? DEFAULT_PORT[this.security] : Number(this.port.trim());
        if (!Number.isInteger(port) || port < 1 || port > 65535) return this.refuse("The port is a whole number from 1 to 65535.");
        const security: ImapSecurity = this.security;
        await api.addImapAccount(
          name,
          {
            host,
            port,
            user: this.user.trim(),
            security,
            ca_file: this.caFile.trim() || null,
            folders: splitFolders(this.folders),
            addresses: splitAddresses(this.addresses),
          },
          this.keeping() === "asked" || this.password === "" ? null : this.password,
        );
      } else if (this.kind === "carddav" || this.kind === "caldav") {
        const url = this.url.trim();
        if (!url) return this.refuse("Give the server's address, such as https://dav.example.org/.");
        if (!this.user.trim()) return this.refuse("Give the user name you log in to the server with.");
        const tag = this.scopeTag.trim();
        if (this.kind === "carddav" && this.byTag && !tag) return this.refuse("Give the tag of the contacts that go to the address book.");
        const password = this.keeping() === "asked" || this.password === "" ? null : this.password;
        await api.addDavAccount(
          name,
          this.kind === "carddav"
            ? {
                kind: "carddav",
                url,
                user: this.user.trim(),
                scope: this.byTag ? { kind: "tag", tag } : { kind: "all" },
                include_private: this.includePrivate,
                address_book: "",
              }
            : { kind: "caldav", url, user: this.user.trim(), calendar: this.calendar.trim() },
          password,
        );
      } else if (this.kind === "mastodon") {
        const server = this.server.trim();
        if (!server) return this.refuse("Give your Mastodon server's address, such as https://glammr.us.");
        await api.addMastodonAccount(name, server);
      } else if (this.kind === "bluesky") {
        const handle = this.handle.trim();
        if (!handle) return this.refuse("Give your Bluesky handle, such as ann.bsky.social.");
        if (!this.password) return this.refuse("Give an app password: make one in Bluesky under Settings › Privacy and security › App passwords.");
        await api.addBlueskyAccount(
          name,
          { handle, did: "", service: this.service.trim(), plc: this.plc.trim() },
          this.password,
        );
      } else {
        const url = this.url.trim();
        if (!url) return this.refuse("Give the address of the blog or of its feed.");
        let owner: FeedOwner;
        if (this.mine) owner = { whose: "mine" };
        else {
          const who = this.owner[0];
          if (!who) return this.refuse("Choose whose blog it is, or say it is yours.");
          owner = { whose: "contact", contact_id: who.id };
        }
        await api.addFeedAccount(name, { url, owner });
      }
      this.app.showToast(
        this.kind === "caldav"
          ? `Added ${name}. Choose Sync now to put your plans, dates and events there.`
          : this.kind === "carddav"
            ? `Added ${name}. Choose Sync now to send your contacts there and bring back what is there.`
            : `Added ${name}. Choose Sync now to bring in what is there.`,
      );
      this.reset();
      this.added();
    } catch (e) {
      const err = toApiError(e);
      if (err.code === "invalid_input" || err.code === "not_found" || err.code.startsWith("sync_")) this.problem = err.message;
      else this.app.showError(err);
    } finally {
      this.saving = false;
      this.app.invalidate();
    }
  }

  private refuse(message: string): void {
    this.saving = false;
    this.problem = message;
    this.app.invalidate();
    this.app.afterRender(() => document.getElementById("acc-form-problem")?.focus());
  }

  private input(id: string, label: string, value: string, set: (v: string) => void, opts: { type?: string; inputmode?: string; hint?: string; placeholder?: string; testid: string }): TemplateResult {
    return html`<div class="field">
      <label for=${id}>${label}</label>
      <input
        id=${id}
        type=${opts.type ?? "text"}
        inputmode=${opts.inputmode ?? nothing}
        autocomplete="off"
        spellcheck="false"
        data-testid=${opts.testid}
        placeholder=${opts.placeholder ?? ""}
        aria-describedby=${opts.hint ? `${id}-help` : nothing}
        .value=${value}
        @input=${(e: InputEvent) => {
          set((e.target as HTMLInputElement).value);
          this.problem = null;
        }}
      />
      ${opts.hint ? html`<p class="field-hint" id="${id}-help">${opts.hint}</p>` : nothing}
    </div>`;
  }

  private passwordHint(): string {
    switch (this.keeping()) {
      case "system":
        return "Kept in your system's secret store, never in Kith's file.";
      case "encrypted_store":
        return "Kept inside your store, which is encrypted with your passphrase.";
      case "asked":
        return "This computer has no secret store and your store has no passphrase, so Kith keeps no password: it is asked for at each sync, and such an account is not synced by itself.";
      default:
        return "";
    }
  }

  template(busy: boolean): TemplateResult {
    const asked = this.keeping() === "asked";
    return html`<form
      class="card acc-form"
      data-testid="account-form"
      aria-labelledby="acc-form-title"
      @submit=${(e: SubmitEvent) => {
        e.preventDefault();
        void this.submit();
      }}
    >
      <h2 id="acc-form-title">Add an account</h2>
      <fieldset class="acc-kinds">
        <legend>Kind</legend>
        ${KINDS.map(
          (k) => html`<label class="acc-kind-choice">
            <input
              type="radio"
              name="acc-kind"
              value=${k}
              data-testid="account-kind-${k}"
              .checked=${this.kind === k}
              @change=${() => {
                this.kind = k;
                this.problem = null;
                this.app.invalidate();
              }}
            />
            <span>${KIND_LABEL[k]}</span>
          </label>`,
        )}
      </fieldset>
      ${this.input("acc-name", "Name", this.name, (v) => (this.name = v), {
        testid: "account-name-input",
        placeholder: NAME_EXAMPLE[this.kind],
        hint: "How Kith names this account here and in the kith sync command.",
      })}
      ${this.kind === "imap"
        ? this.imapFields(asked)
        : this.kind === "mastodon"
          ? this.mastodonFields(asked)
          : this.kind === "bluesky"
            ? this.blueskyFields()
            : this.kind === "carddav" || this.kind === "caldav"
              ? this.davFields(this.kind, asked)
              : this.feedFields()}
      ${this.problem
        ? html`<p class="field-error" id="acc-form-problem" role="alert" tabindex="-1" data-testid="account-form-error">${this.problem}</p>`
        : nothing}
      <div class="im-actions">
        <button type="submit" class="button primary" data-testid="account-add" ?disabled=${this.saving || busy}>
          ${icon("plus")}<span>${this.saving ? (this.kind === "mastodon" ? "Signing in… finish in your browser" : "Adding…") : "Add account"}</span>
        </button>
      </div>
    </form>`;
  }

  private mastodonFields(asked: boolean): TemplateResult {
    const kept = asked
      ? "This computer has no secret store and your store has no passphrase, so Kith could not keep the sign-in: set a passphrase first."
      : `The sign-in is ${this.passwordHint().replace(/^Kept/, "kept")}`;
    return html`${this.input("acc-server", "Server", this.server, (v) => (this.server = v), {
      testid: "account-server",
      placeholder: "https://glammr.us",
      hint: "Kith opens your server's sign-in page in your browser. Allow Kith there (it only reads: your posts, mentions, direct messages, follows and lists) and come back.",
    })}
      <p class="field-hint" data-testid="account-signin-where">${kept}</p>`;
  }

  private imapFields(asked: boolean): TemplateResult {
    return html`${this.input("acc-host", "Server", this.host, (v) => (this.host = v), { testid: "account-host", placeholder: "imap.example.org" })}
      <div class="field-row">
        <div class="field">
          <label for="acc-security">Security</label>
          <select
            id="acc-security"
            data-testid="account-security"
            @change=${(e: Event) => {
              this.security = (e.target as HTMLSelectElement).value === "starttls" ? "starttls" : "tls";
              this.app.invalidate();
            }}
          >
            <option value="tls" ?selected=${this.security === "tls"}>TLS (port 993)</option>
            <option value="starttls" ?selected=${this.security === "starttls"}>STARTTLS (port 143)</option>
          </select>
        </div>
        ${this.input("acc-port", "Port", this.port, (v) => (this.port = v), {
          testid: "account-port",
          type: "number",
          placeholder: String(DEFAULT_PORT[this.security]),
        })}
      </div>
      ${this.input("acc-user", "User name", this.user, (v) => (this.user = v), { testid: "account-user", placeholder: "you@example.org" })}
      ${asked
        ? html`<p class="field-hint" data-testid="account-password-where">${this.passwordHint()}</p>`
        : this.input("acc-password", "Password", this.password, (v) => (this.password = v), {
            testid: "account-password",
            type: "password",
            hint: `${this.passwordHint()} Leave it empty to be asked at each sync.`,
          })}
      ${this.input("acc-addresses", "Your addresses on this mailbox", this.addresses, (v) => (this.addresses = v), {
        testid: "account-addresses",
        placeholder: "you@example.org, you@work.example",
        hint: "So Kith can tell the mail you sent from the mail you received. Empty: the user name if it is an address, and the addresses Kith already knows as yours.",
      })}
      ${this.input("acc-ca", "Certificate file (optional)", this.caFile, (v) => (this.caFile = v), {
        testid: "account-ca-file",
        placeholder: "/home/you/mail-server.pem",
        hint: "For a server with its own (self-signed) certificate: the full path of its PEM file.",
      })}
      ${this.input("acc-folders", "Folders (optional)", this.folders, (v) => (this.folders = v), {
        testid: "account-folders",
        placeholder: "INBOX, Sent Items",
        hint: "Separate folders with commas. Empty: the inbox and the sent folder.",
      })}`;
  }

  private davFields(kind: "carddav" | "caldav", asked: boolean): TemplateResult {
    return html`${this.input("acc-url", "Server", this.url, (v) => (this.url = v), {
        testid: "account-url",
        inputmode: "url",
        placeholder: "https://dav.example.org/",
        hint: kind === "carddav"
          ? "The server's address, or the address book's own; Kith finds the address book on the first sync."
          : "The server's address, or the calendar's own.",
      })}
      ${this.input("acc-user", "User name", this.user, (v) => (this.user = v), { testid: "account-user", placeholder: "you@example.org" })}
      ${asked
        ? html`<p class="field-hint" data-testid="account-password-where">${this.passwordHint()}</p>`
        : this.input("acc-password", "Password", this.password, (v) => (this.password = v), {
            testid: "account-password",
            type: "password",
            hint: `${this.passwordHint()} Leave it empty to be asked at each sync.`,
          })}
      ${kind === "carddav" ? this.addressBookFields() : this.input("acc-calendar", "Calendar (optional)", this.calendar, (v) => (this.calendar = v), {
            testid: "account-calendar",
            placeholder: "Personal",
            hint: "Its name on the server. Empty: the first calendar there. Plans, keep-in-touch dates, birthdays and events go to it.",
          })}`;
  }

  private addressBookFields(): TemplateResult {
    return html`<fieldset class="acc-kinds">
        <legend>Which contacts go to the address book?</legend>
        <label class="acc-kind-choice">
          <input
            type="radio"
            name="acc-scope"
            data-testid="account-scope-all"
            .checked=${!this.byTag}
            @change=${() => {
              this.byTag = false;
              this.app.invalidate();
            }}
          />
          <span>Everyone</span>
        </label>
        <label class="acc-kind-choice">
          <input
            type="radio"
            name="acc-scope"
            data-testid="account-scope-tag"
            .checked=${this.byTag}
            @change=${() => {
              this.byTag = true;
              this.app.invalidate();
            }}
          />
          <span>The contacts with a tag (a contact made on the server gets it)</span>
        </label>
      </fieldset>
      ${this.byTag
        ? this.input("acc-tag", "Tag", this.scopeTag, (v) => (this.scopeTag = v), { testid: "account-scope-tag-input", placeholder: "solo librarians" })
        : nothing}
      <label class="acc-kind-choice">
        <input
          type="checkbox"
          data-testid="account-include-private"
          .checked=${this.includePrivate}
          @change=${(e: Event) => {
            this.includePrivate = (e.target as HTMLInputElement).checked;
          }}
        />
        <span>Send private notes too (off: only what a shared vCard export holds)</span>
      </label>`;
  }

  private blueskyFields(): TemplateResult {
    return html`${this.input("acc-handle", "Handle", this.handle, (v) => (this.handle = v), {
        testid: "account-handle",
        placeholder: "ann.bsky.social",
      })}
      ${this.input("acc-password", "App password", this.password, (v) => (this.password = v), {
        testid: "account-password",
        type: "password",
        hint: `Make one in Bluesky under Settings › Privacy and security › App passwords; Kith signs in once now to check it. ${this.passwordHint()}`,
      })}
      ${this.input("acc-service", "Your PDS (optional)", this.service, (v) => (this.service = v), {
        testid: "account-service",
        inputmode: "url",
        placeholder: "https://pds.example.org",
        hint: "Empty: found from your handle.",
      })}
      ${this.input("acc-plc", "DID directory (optional)", this.plc, (v) => (this.plc = v), {
        testid: "account-plc",
        inputmode: "url",
        placeholder: "https://plc.directory",
        hint: "Only for a private network.",
      })}`;
  }

  private feedFields(): TemplateResult {
    return html`${this.input("acc-url", "Address of the blog or its feed", this.url, (v) => (this.url = v), {
        testid: "account-url",
        inputmode: "url",
        placeholder: "https://example.org/feed.xml",
      })}
      <fieldset class="acc-kinds">
        <legend>Whose blog is it?</legend>
        <label class="acc-kind-choice">
          <input
            type="radio"
            name="acc-owner"
            data-testid="account-owner-mine"
            .checked=${this.mine}
            @change=${() => {
              this.mine = true;
              this.app.invalidate();
            }}
          />
          <span>Mine: comments on it are conversations with the commenters</span>
        </label>
        <label class="acc-kind-choice">
          <input
            type="radio"
            name="acc-owner"
            data-testid="account-owner-contact"
            .checked=${!this.mine}
            @change=${() => {
              this.mine = false;
              this.app.invalidate();
            }}
          />
          <span>A contact's: their posts show on their timeline</span>
        </label>
      </fieldset>
      ${this.mine ? nothing : this.picker.template("The blog's author")}`;
  }
}
