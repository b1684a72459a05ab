// Connected accounts against the fake backend: adding a mailbox and a contact's blog, syncing
// with progress and cancel, each problem said in plain words, removing with a question, and the
// New people inbox (add, merge into the likely contact, ignore), which changes by itself after a
// sync the app ran in the background.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { HOSTILE, assertClean, lastCall, openApp, shots, useBrowser } from "./harness.mjs";

useBrowser();

async function fill(page, testid, text) {
  await page.getByTestId(testid).fill(text);
}

const row = (page, name) => page.getByTestId("account-row").filter({ has: page.getByTestId("account-name").getByText(name, { exact: true }) });

async function addFeed(page, name, url, author) {
  await page.getByTestId("account-kind-feed").check();
  await fill(page, "account-name-input", name);
  await fill(page, "account-url", url);
  if (author) {
    await page.getByTestId("account-owner-contact").check();
    await page.getByLabel("The blog's author").fill(author.slice(0, 4));
    await page.getByRole("option", { name: author }).click();
  }
  await page.getByTestId("account-add").click();
  await row(page, name).waitFor();
}

describe("accounts", () => {
  let page;
  let problems;
  let context;

  before(async () => {
    ({ page, problems, context } = await openApp());
    await page.getByTestId("load-demo-button").click();
    await page.getByTestId("contact-row").first().waitFor();
  });
  after(async () => {
    await context.close();
  });

  test("a mailbox is added with its password kept in the system's secret store", async () => {
    await page.getByTestId("nav-accounts").click();
    await page.getByTestId("accounts-empty").waitFor();
    await page.getByTestId("account-kind-imap").check();
    // A missing server is refused in the form, naming what is missing.
    await fill(page, "account-name-input", "Work mail");
    await page.getByTestId("account-add").click();
    assert.match(await page.getByTestId("account-form-error").innerText(), /mail server's name/);
    await fill(page, "account-host", "imap.example.org");
    await fill(page, "account-user", "me@example.org");
    await page.getByTestId("account-security").selectOption("starttls");
    await fill(page, "account-password", "s3cret password");
    await fill(page, "account-addresses", "me@example.org, me@work.example");
    await fill(page, "account-folders", "INBOX, Sent Items");
    assert.match(await page.locator("#acc-password-help").innerText(), /system's secret store/);
    await page.getByTestId("account-add").click();
    const r = row(page, "Work mail");
    await r.waitFor();
    const sent = await lastCall(page, "add_imap_account");
    assert.deepEqual(sent.settings, {
      host: "imap.example.org",
      port: 143,
      user: "me@example.org",
      security: "starttls",
      ca_file: null,
      folders: ["INBOX", "Sent Items"],
      addresses: ["me@example.org", "me@work.example"],
    });
    assert.equal(sent.password, "s3cret password");
    assert.match(await r.getByTestId("account-secret").innerText(), /kept in your system's secret store/);
    assert.match(await r.getByTestId("account-last-sync").innerText(), /Not synced yet/);
    assert.equal(await page.getByTestId("account-password").inputValue(), "", "the form forgets the password once added");
  });

  test("a Bluesky account is added with its handle and app password, a wrong one refused in the form", async () => {
    await page.getByTestId("account-kind-bluesky").check();
    await fill(page, "account-name-input", "Bluesky");
    await page.getByTestId("account-add").click();
    assert.match(await page.getByTestId("account-form-error").innerText(), /Bluesky handle/);
    await fill(page, "account-handle", "@Ann.bsky.social");
    await fill(page, "account-password", "wrong-wrong-wrong");
    await page.getByTestId("account-add").click();
    const problem = page.getByTestId("account-form-error");
    await problem.waitFor();
    assert.match(await problem.innerText(), /app password/);
    assert.doesNotMatch(await problem.innerText(), /wrong-wrong-wrong/);
    assert.equal(await row(page, "Bluesky").count(), 0, "nothing is added");
    await fill(page, "account-password", "abcd-efgh-ijkl-mnop");
    await fill(page, "account-service", "https://pds.example.org");
    assert.match(await page.locator("#acc-password-help").innerText(), /system's secret store/);
    await page.getByTestId("account-add").click();
    const r = row(page, "Bluesky");
    await r.waitFor();
    const sent = await lastCall(page, "add_bluesky_account");
    assert.deepEqual(sent.settings, { handle: "@Ann.bsky.social", did: "", service: "https://pds.example.org", plc: "" });
    assert.equal(sent.password, "abcd-efgh-ijkl-mnop");
    assert.match(await r.getByTestId("account-where").innerText(), /@ann\.bsky\.social/);
    assert.match(await r.getByTestId("account-kind").innerText(), /Bluesky/);
    assert.equal(await page.getByTestId("account-password").inputValue(), "", "the form forgets the app password once added");
    await page.screenshot({ path: join(shots, "accounts-bluesky.png"), animations: "disabled" });
    // Removed, it takes its app password with it.
    await r.getByTestId("account-remove").click();
    await page.getByTestId("confirm-dialog").waitFor();
    await page.getByTestId("confirm-yes").click();
    await r.waitFor({ state: "detached" });
    const kept = await page.evaluate(() => Object.values(window.__kithFakeAccounts.secrets));
    assert.deepEqual(kept, ["s3cret password"], "only the mailbox's password is left");
  });

  test("an address book and a calendar are added with what goes to them", async () => {
    await page.getByTestId("account-kind-carddav").check();
    await fill(page, "account-name-input", "Phone contacts");
    await fill(page, "account-url", "https://dav.example.org/");
    await page.getByTestId("account-add").click();
    assert.match(await page.getByTestId("account-form-error").innerText(), /user name/);
    await fill(page, "account-user", "librarian");
    await fill(page, "account-password", "dav secret");
    await page.getByTestId("account-scope-tag").check();
    await page.getByTestId("account-add").click();
    assert.match(await page.getByTestId("account-form-error").innerText(), /tag of the contacts/);
    await fill(page, "account-scope-tag-input", "solo librarians");
    await page.getByTestId("account-add").click();
    const book = row(page, "Phone contacts");
    await book.waitFor();
    const sent = await lastCall(page, "add_dav_account");
    assert.deepEqual(sent.settings, {
      kind: "carddav",
      url: "https://dav.example.org/",
      user: "librarian",
      scope: { kind: "tag", tag: "solo librarians" },
      include_private: false,
      address_book: "",
    });
    assert.equal(sent.password, "dav secret");
    assert.match(await book.getByTestId("account-kind").innerText(), /Address book/);

    await page.getByTestId("account-kind-caldav").check();
    await fill(page, "account-name-input", "Calendar");
    await fill(page, "account-url", "https://dav.example.org/");
    await fill(page, "account-user", "librarian");
    await fill(page, "account-calendar", "Work");
    await page.getByTestId("account-add").click();
    const calendar = row(page, "Calendar");
    await calendar.waitFor();
    await page.getByTestId("toast").filter({ hasText: "put your plans, dates and events there" }).waitFor();
    const asked = await lastCall(page, "add_dav_account");
    assert.deepEqual(asked.settings, { kind: "caldav", url: "https://dav.example.org/", user: "librarian", calendar: "Work" });
    assert.equal(asked.password, null, "no password given: asked at each sync");
    await page.screenshot({ path: join(shots, "accounts-dav.png"), animations: "disabled" });
    for (const r of [book, calendar]) {
      await r.getByTestId("account-remove").click();
      await page.getByTestId("confirm-dialog").waitFor();
      await page.getByTestId("confirm-yes").click();
      await r.waitFor({ state: "detached" });
    }
    await assertClean(page, problems);
  });

  test("a sync shows progress and can be cancelled, keeping nothing", async () => {
    await addFeed(page, "Rosa's blog", "https://rosa.example.org/feed.xml", "Rosa Delgado");
    assert.deepEqual((await lastCall(page, "add_feed_account")).settings.owner.whose, "contact");
    const before = await page.evaluate(() => window.__kithFake.stats().interactions);
    await page.evaluate(() => {
      window.__kithFakeAccounts.hold = true;
      window.__kithFakeAccounts.plans["Rosa's blog"] = { with: "Rosa Delgado", texts: ["Post one", "Post two"] };
    });
    await row(page, "Rosa's blog").getByTestId("account-sync").click();
    const progress = page.getByTestId("sync-progress");
    await progress.waitFor();
    assert.match(await progress.innerText(), /Syncing Rosa's blog/);
    await page.screenshot({ path: join(shots, "accounts-syncing.png"), animations: "disabled" });
    await page.getByTestId("sync-cancel").click();
    await progress.waitFor({ state: "detached" });
    assert.match(await page.getByTestId("toast").innerText(), /cancelled\. Nothing from it was kept/);
    assert.equal(await page.evaluate(() => window.__kithFake.stats().interactions), before);
    assert.equal(await page.getByTestId("error-banner").count(), 0, "a cancel is not an error");
  });

  test("a sync says what it brought, and the new people count goes up", async () => {
    await page.evaluate(() => {
      window.__kithFakeAccounts.hold = false;
      window.__kithFakeAccounts.plans["Rosa's blog"] = {
        with: "Rosa Delgado",
        texts: ["Post one", "Post two"],
        newPeople: [{ name: "Pita Taufa", handles: [{ platform: "blog", value: "https://pita.example.net/" }], seenIn: "comments on rosa.example.org" }],
      };
    });
    await row(page, "Rosa's blog").getByTestId("account-sync").click();
    await page.getByTestId("toast").filter({ hasText: "Synced Rosa's blog" }).waitFor();
    assert.match(await page.getByTestId("toast").innerText(), /brought 2 interactions, 1 new person/);
    assert.match(await row(page, "Rosa's blog").getByTestId("account-last-sync").innerText(), /Synced just now: 2 interactions, 1 new person/);
    assert.match(await row(page, "Rosa's blog").getByTestId("account-next-sync").innerText(), /Next sync in 15 minutes/);
    assert.equal(await page.getByTestId("nav-new-people").locator(".count").innerText(), "1");
  });

  test("each problem is said in plain words, by its code", async () => {
    const retryAt = new Date(Date.UTC(2026, 11, 7, 14, 5)).toISOString();
    const cases = [
      [{ code: "sync_wrong_password", message: "Work mail: the server said NO [AUTHENTICATIONFAILED]" }, null, /Wrong password/],
      [{ code: "sync_untrusted_certificate", message: "x" }, null, /Certificate not trusted — give the server's certificate file/],
      [{ code: "sync_unreachable", message: "x" }, null, /Server unreachable/],
      [{ code: "sync_rate_limited", message: "x" }, retryAt, new RegExp(`Rate-limited until ${new Date(retryAt).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" })}`)],
    ];
    for (const [error, at, words] of cases) {
      await page.evaluate(([e, r]) => (window.__kithFakeAccounts.plans["Work mail"] = { error: e, retryAt: r ?? undefined }), [error, at]);
      await row(page, "Work mail").getByTestId("account-sync").click();
      const said = row(page, "Work mail").getByTestId("account-error");
      await page.waitForFunction((code) => document.querySelector(`[data-name="Work mail"] [data-testid=account-error]`)?.getAttribute("data-code") === code, error.code);
      assert.match(await said.innerText(), words);
      assert.doesNotMatch(await said.innerText(), /AUTHENTICATIONFAILED/, "the code speaks, not the server's English");
    }
    await page.screenshot({ path: join(shots, "accounts-problems.png"), animations: "disabled", fullPage: true });
  });

  test("removing an account asks first and removes its kept password", async () => {
    const id = await page.evaluate(() => Object.keys(window.__kithFakeAccounts.secrets)[0]);
    assert.ok(id, "a password is kept for the mailbox");
    await row(page, "Work mail").getByTestId("account-remove").click();
    const confirm = page.getByTestId("confirm-dialog");
    await confirm.waitFor();
    assert.match(await confirm.innerText(), /forgets its kept password/);
    await page.getByTestId("confirm-yes").click();
    await row(page, "Work mail").waitFor({ state: "detached" });
    assert.deepEqual(await page.evaluate(() => window.__kithFakeAccounts.secrets), {});
    assert.equal(await row(page, "Rosa's blog").count(), 1);
  });

  test("a name from a server is shown as text, never as markup", async () => {
    await addFeed(page, HOSTILE, "https://hostile.example.org/feed", null);
    assert.equal(await page.locator(".acc-page img").count(), 0);
    assert.equal(await row(page, HOSTILE).getByTestId("account-name").innerText(), HOSTILE);
    await row(page, HOSTILE).getByTestId("account-remove").click();
    await page.getByTestId("confirm-yes").click();
    await row(page, HOSTILE).waitFor({ state: "detached" });
    await assertClean(page, problems);
  });
});

describe("new people", () => {
  let page;
  let problems;
  let context;

  before(async () => {
    ({ page, problems, context } = await openApp());
    await page.getByTestId("load-demo-button").click();
    await page.getByTestId("contact-row").first().waitFor();
    await page.getByTestId("nav-accounts").click();
    await addFeed(page, "My blog", "https://me.example.org/feed", null);
    await page.getByTestId("nav-contacts").click();
  });
  after(async () => {
    await context.close();
  });

  test("a background sync changes the count and the timeline without a reload", async () => {
    const rosa = page.getByTestId("contact-row").filter({ hasText: "Rosa Delgado" });
    await rosa.click();
    await page.getByTestId("contact-title").waitFor();
    await page.evaluate(
      ([hostile]) => {
        window.__kithFakeAccounts.plans["My blog"] = {
          with: "Rosa Delgado",
          texts: ["A comment from the background sync"],
          newPeople: [
            {
              name: "Priya R.",
              handles: [{ platform: "email", value: "priya.r@example.net" }],
              seenIn: "comments on me.example.org",
              likely: { name: "Priya Raman", reason: "same first name and initial" },
            },
            { name: "Pita Taufa", handles: [{ platform: "blog", value: "https://pita.example.net/" }], seenIn: "comments on me.example.org" },
            { name: hostile, handles: [{ platform: "email", value: "spam@example.com" }], seenIn: "comments on me.example.org" },
          ],
        };
        return window.__kithFakeAccounts.background("My blog");
      },
      [HOSTILE],
    );
    await page.waitForFunction(() => document.querySelector("[data-testid=nav-new-people] .count")?.textContent === "3");
    await page.getByText("A comment from the background sync").waitFor();
  });

  test("each new person says who, where seen, how often and who they probably are", async () => {
    await page.getByTestId("nav-new-people").click();
    const people = page.getByTestId("new-person");
    await people.first().waitFor();
    assert.equal(await people.count(), 3);
    const priya = people.filter({ hasText: "Priya R." });
    assert.match(await priya.getByTestId("new-person-seen").innerText(), /Seen once, in comments on me\.example\.org/);
    assert.equal(await priya.getByTestId("new-person-likely").innerText(), "probably Priya Raman: same first name and initial");
    assert.equal(await page.locator(".np-page img").count(), 0, "an imported name is text");
    await page.screenshot({ path: join(shots, "new-people.png"), animations: "disabled" });
  });

  test("merge into the likely contact, add as a contact, ignore for good — from the keyboard", async () => {
    const people = page.getByTestId("new-person");
    await people.filter({ hasText: "Priya R." }).getByTestId("new-person-merge-likely").focus();
    await page.keyboard.press("Enter");
    await page.getByTestId("toast").filter({ hasText: "Priya R. is now part of Priya Raman" }).waitFor();
    assert.equal(await people.count(), 2);

    await people.filter({ hasText: "Pita Taufa" }).getByTestId("new-person-add").focus();
    await page.keyboard.press("Enter");
    await page.getByTestId("toast").filter({ hasText: "Added Pita Taufa to your contacts" }).waitFor();
    await page.getByTestId("contact-row").filter({ hasText: "Pita Taufa" }).waitFor({ state: "attached" }).catch(() => undefined);

    const hostile = people.filter({ has: page.getByTestId("new-person-name").getByText(HOSTILE, { exact: true }) });
    await hostile.getByTestId("new-person-ignore").click();
    await page.getByTestId("new-people-empty").waitFor();
    assert.equal(await page.getByTestId("nav-new-people").locator(".count").innerText(), "");

    // Ignored for good: the next sync that meets them does not offer them again.
    await page.evaluate(
      ([hostile]) => {
        window.__kithFakeAccounts.plans["My blog"] = {
          newPeople: [{ name: hostile, handles: [{ platform: "email", value: "spam@example.com" }], seenIn: "comments on me.example.org" }],
        };
        return window.__kithFakeAccounts.background("My blog");
      },
      [HOSTILE],
    );
    await page.waitForTimeout(300);
    assert.equal(await people.count(), 0);
    await page.getByTestId("nav-contacts").click();
    await page.getByTestId("contact-row").filter({ hasText: "Pita Taufa" }).waitFor();
    await assertClean(page, problems);
  });

  test("merge into any contact through the picker", async () => {
    await page.evaluate(() => {
      window.__kithFakeAccounts.plans["My blog"] = {
        newPeople: [{ name: "W. Zhao", handles: [{ platform: "email", value: "wz@example.net" }], seenIn: "comments on me.example.org" }],
      };
      return window.__kithFakeAccounts.background("My blog");
    });
    await page.getByTestId("nav-new-people").click();
    await page.getByTestId("new-person").first().waitFor();
    await page.getByTestId("new-person-merge").click();
    await page.getByRole("combobox", { name: "Merge W. Zhao into" }).fill("Wen");
    await page.getByRole("option", { name: "Wen Zhao" }).click();
    await page.getByTestId("toast").filter({ hasText: "W. Zhao is now part of Wen Zhao" }).waitFor();
    assert.deepEqual(await lastCall(page, "merge_new_person").then((a) => a.id.startsWith("np-")), true);
    await assertClean(page, problems);
  });

  test("a Mastodon account is added once signed in through the browser, and syncs", async () => {
    await page.getByTestId("nav-accounts").click();
    await page.getByTestId("account-kind-mastodon").check();
    await fill(page, "account-name-input", "Mastodon");
    assert.match(await page.getByTestId("account-signin-where").innerText(), /sign-in is kept in your system's secret store/);
    // A server that is not an https address is refused, naming the account and what to give.
    await fill(page, "account-server", "glammr.us/@me");
    await page.getByTestId("account-add").click();
    assert.match(await page.getByTestId("account-form-error").innerText(), /must be an https:\/\/ address/);
    await fill(page, "account-server", "https://Glammr.us/");
    await page.getByTestId("account-add").click();
    const r = row(page, "Mastodon");
    await r.waitFor();
    assert.deepEqual(await lastCall(page, "add_mastodon_account"), { name: "Mastodon", server: "https://Glammr.us/" });
    assert.equal(await r.getByTestId("account-kind").innerText(), "Mastodon");
    assert.equal(await r.getByTestId("account-where").innerText(), "@me@glammr.us");
    await page.evaluate(() => {
      window.__kithFakeAccounts.plans["Mastodon"] = { with: "Rosa Delgado", texts: ["@rosa about the MARC fields"] };
    });
    await r.getByTestId("account-sync").click();
    await page.getByTestId("toast").filter({ hasText: "Synced Mastodon" }).waitFor();
    assert.match(await r.getByTestId("account-last-sync").innerText(), /1 interaction/);
    await assertClean(page, problems);
  });

  test("a contact who moved servers: the sync says so, and so does their page", async () => {
    await page.getByTestId("nav-accounts").click();
    const r = row(page, "Mastodon");
    await page.evaluate(
      ([hostile]) => {
        window.__kithFakeAccounts.plans["Mastodon"] = {
          moved: {
            name: "Rosa Delgado",
            from: { platform: "mastodon", value: "@rosa@glammr.us" },
            to: { platform: "mastodon", value: "@rosa@libraryland.social" },
          },
          notes: ["@rosa@glammr.us moved to @rosa@libraryland.social; both are kept as the same person", hostile],
        };
      },
      [HOSTILE],
    );
    await r.getByTestId("account-sync").click();
    await page.getByTestId("toast").filter({ hasText: "Synced Mastodon" }).waitFor();
    const notes = r.getByTestId("account-notes");
    assert.match(await notes.innerText(), /@rosa@glammr.us moved to @rosa@libraryland.social/);
    await page.getByTestId("nav-contacts").click();
    await page.getByTestId("contact-row").filter({ hasText: "Rosa Delgado" }).click();
    const changes = page.getByTestId("handle-changes");
    await changes.waitFor();
    assert.match(await changes.innerText(), /now @rosa@libraryland.social \(was @rosa@glammr.us\); seen by Mastodon/);
    await page.screenshot({ path: join(shots, "contact-moved.png"), animations: "disabled" });
    await page.getByTestId("nav-accounts").click();
    await r.getByTestId("account-notes").waitFor();
    await page.screenshot({ path: join(shots, "account-notes.png"), animations: "disabled" });
    await assertClean(page, problems);
  });
});

describe("passwords asked at each sync", () => {
  let page;
  let problems;
  let context;

  before(async () => {
    ({ page, problems, context } = await openApp({ config: { passwordKeeping: "asked" } }));
    await page.getByTestId("load-demo-button").click();
    await page.getByTestId("contact-row").first().waitFor();
  });
  after(async () => {
    await context.close();
  });

  test("with nowhere to keep it, the password is asked for when syncing and never kept", async () => {
    await page.getByTestId("nav-accounts").click();
    await page.getByTestId("account-kind-imap").check();
    assert.match(await page.getByTestId("account-password-where").innerText(), /asked for at each sync/);
    await fill(page, "account-name-input", "Home mail");
    await fill(page, "account-host", "imap.example.org");
    await fill(page, "account-user", "me@example.org");
    await page.getByTestId("account-add").click();
    const r = row(page, "Home mail");
    await r.waitFor();
    assert.equal((await lastCall(page, "add_imap_account")).password, null);
    assert.match(await r.getByTestId("account-next-sync").innerText(), /password is asked each time/);
    await r.getByTestId("account-sync").click();
    await page.getByTestId("account-password-input").waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), "acc-ask-password");
    await page.keyboard.type("typed each time");
    await page.keyboard.press("Enter");
    await page.getByTestId("toast").filter({ hasText: "Synced Home mail" }).waitFor();
    const sent = await lastCall(page, "sync_accounts");
    assert.deepEqual(sent.names, ["Home mail"]);
    assert.equal(sent.password, "typed each time");
    assert.deepEqual(await page.evaluate(() => window.__kithFakeAccounts.secrets), {});
    await assertClean(page, problems);
  });
});
