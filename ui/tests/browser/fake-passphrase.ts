// The passphrase in the fake backend: a store locked with one refuses every command but these
// until it is unlocked, a wrong passphrase is refused like the real one, and setting, changing
// and removing it follow the real rules (current passphrase checked, at least 8 characters).

import type { PassphraseChange, PassphraseStatus } from "../../src/bindings";
import type { CommandName, Extension, FakeContext } from "./fake-commands";

const MIN = 8;
const OPEN_WHILE_LOCKED = new Set<CommandName>(["appInfo", "passphraseStatus", "unlockStore", "changePassphrase"]);
const PATH = "/home/me/.local/share/kith/kith.sqlite3";

/** The passphrase the fake store is locked with (null: not locked), and whether it is open. */
let key: string | null = window.__KITH_FAKE_CONFIG__?.passphrase ?? null;
let unlocked = key === null;

/** While the store is locked, every command but the few above fails as the real one does. */
export function passphraseLock(name: CommandName, { fail }: FakeContext): void {
  if (!unlocked && !OPEN_WHILE_LOCKED.has(name)) {
    fail(
      "passphrase_needed",
      `${PATH}: this store is locked with a passphrase. Enter the passphrase to open it (for the kith command, set KITH_PASSPHRASE or run it in a terminal to be asked).`,
    );
  }
}

export const passphraseExtension = ({ fail }: FakeContext) =>
  ({
    passphraseStatus: (): PassphraseStatus => ({ encrypted: key !== null, unlocked, min_length: MIN }),
    unlockStore: (passphrase) => {
      if (passphrase !== key) {
        return fail("wrong_passphrase", `${PATH}: that passphrase does not open this store. Check it and try again; nothing was changed.`);
      }
      unlocked = true;
      return null;
    },
    changePassphrase: (current, next): PassphraseChange => {
      if (key === null && current !== null) return fail("invalid_input", "this store has no passphrase yet; set one without giving a current passphrase");
      if (key !== null && current !== key) return fail("wrong_passphrase", `${PATH}: that passphrase does not open this store. Check it and try again; nothing was changed.`);
      if (next !== null && [...next].length < MIN) return fail("invalid_input", `the new passphrase is shorter than ${MIN} characters`);
      key = next;
      unlocked = true;
      return { encrypted: key !== null, backups_changed: 2, backups_left: [], tidied: [] };
    },
  }) satisfies Extension;
