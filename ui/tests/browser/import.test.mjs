// The Import and Duplicates views against the fake backend (see fake-import.ts): previews that
// change nothing, imports that add once, cancelling, broken files, hostile names, and merging or
// keeping apart people who may be in Kith twice.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { appUrl, assertClean, HOSTILE, lastCall, openApp, shots, useBrowser } from "./harness.mjs";

useBrowser();

const DAY = 24 * 3600 * 1000;
const ago = (days) => new Date(Date.now() - days * DAY).toISOString();

/** A Twitter/X archive: one person already known (same handle), three new, one of them hostile. */
const twitterFile = () => ({
  format: "twitter",
  contacts: [
    { key: "twitter:1", name: "Tomás Lindgren", handles: [{ platform: "twitter", value: "@tomas_reads" }] },
    { key: "twitter:2", name: "Jo Baptiste", handles: [{ platform: "twitter", value: "@jobaptiste" }], organisation: "Harbour Public Library" },
    { key: "twitter:3", name: "<img src=x onerror=alert(1)>", handles: [{ platform: "twitter", value: "@hostile" }] },
    { key: "twitter:4", name: "P. Raman", handles: [{ platform: "twitter", value: "@p_raman" }] },
    { key: "twitter:5", name: "Rosa Delgado", handles: [{ platform: "twitter", value: "@rosa_d_other" }] },
  ],
  interactions: [
    { key: "twitter:dm:1", with: ["twitter:2"], channel: "twitter", direction: "inbound", at: ago(3), text: "Loved your weeding talk!", public: false },
    { key: "twitter:tweet:2", with: ["twitter:3"], channel: "twitter", direction: "inbound", at: ago(5), text: "<script>alert(2)</script> hello" },
    { key: "twitter:tweet:3", with: ["twitter:1"], channel: "twitter", direction: "outbound", at: ago(8), text: "@tomas_reads thanks for the MARC tip" },
    { key: "twitter:tweet:4", with: ["twitter:99"], channel: "twitter", direction: "outbound", at: ago(9), text: "a reply to someone not in the archive" },
  ],
  skipped: 2,
  notes: ["Twitter/X lists hold no members in the archive, so none were imported."],
});

const setFiles = (page, files) =>
  page.evaluate((f) => {
    Object.assign(window.__kithFakeImport.files, f);
  }, files);
const stats = (page) => page.evaluate(() => window.__kithFake.stats());

async function openImport(page) {
  await page.getByTestId("nav-import").click();
  await page.getByTestId("import-view").waitFor();
}

async function preview(page, path) {
  await page.getByTestId("import-path").fill(path);
  await page.getByTestId("import-preview").click();
}

describe("importing a file", () => {
  let page;
  let problems;
  let context;
  /** The store before any import, and after the Twitter/X archive. */
  let base;
  let imported;

  before(async () => {
    ({ page, problems, context } = await openApp());
    await page.evaluate(() => {
      window.__kithFakeImport.myEmails = ["me@example.org"];
    });
    await page.getByTestId("load-demo-button").click();
    await page.getByTestId("contact-row").first().waitFor();
    await setFiles(page, {
      "/home/me/Downloads/twitter-2026.zip": twitterFile(),
      "/home/me/Downloads/tweets.js": { format: "twitter", contacts: [{ key: "twitter:7", name: "Never Seen" }], bad: { place: "data/tweets.js: line 3", message: "expected a value, found \"}\"" } },
      "/home/me/Downloads/mastodon.zip": {
        format: "mastodon",
        slowMs: 150,
        contacts: Array.from({ length: 8 }, (_, k) => ({ key: `mastodon:${k}`, name: `Slow Person ${k}`, handles: [{ platform: "mastodon", value: `@slow${k}@example.social` }] })),
        interactions: [{ key: "mastodon:post:1", with: ["mastodon:1"], channel: "mastodon", direction: "inbound", at: ago(2), text: "hi" }],
      },
      "/home/me/Mail/Inbox.mbox": {
        format: "mbox",
        contacts: [{ key: "mail:amara@example.edu", name: "Amara Nwosu", handles: [{ platform: "email", value: "amara@example.edu" }] }],
        interactions: [
          { key: "mail:<a1@example.org>", with: ["mail:amara@example.edu"], channel: "email", from: "me@work.example.edu", at: ago(4), text: "Agenda for the cataloguing call" },
          { key: "mail:<b2@example.edu>", with: ["mail:amara@example.edu"], channel: "email", from: "amara@example.edu", at: ago(3), text: "Re: Agenda for the cataloguing call" },
        ],
      },
    });
  });
  after(async () => {
    await context.close();
  });

  test("the view explains every format and offers a file dialog and a typed path", async () => {
    await openImport(page);
    const formats = await page.getByTestId("import-formats").innerText();
    for (const label of ["Twitter/X archive (.zip)", "Mastodon archive (.zip)", "Bluesky repository (.car)", "Mailbox (.mbox)", "Email message (.eml)", "vCard contacts (.vcf)", "Google Contacts (.csv)", "LinkedIn connections (.csv)", "Kith archive (.json)", "Kith spreadsheet (.csv)", "Kith Markdown notes (.md)"]) {
      assert.ok(formats.includes(label), `${label} is explained`);
    }
    const options = await page.getByTestId("import-format").locator("option").allInnerTexts();
    assert.equal(options[0], "Detect automatically");
    assert.equal(options.length, 12, "detect, and each of the eleven formats");
    // The dialog cancelled: nothing changes.
    await page.getByTestId("import-choose").click();
    await page.waitForTimeout(50);
    assert.equal(await page.getByTestId("import-path").inputValue(), "");
    // Preview without a file says what is missing, next to the field.
    await page.getByTestId("import-preview").click();
    await page.getByText("Choose a file, or type or paste where it is.").waitFor();
    assert.equal(await page.getByTestId("import-path").getAttribute("aria-invalid"), "true");
    assert.equal(await lastCall(page, "preview_import"), null, "nothing was asked of the backend");
    // The system dialog's answer fills the path.
    await page.evaluate(() => {
      window.__kithFakeImport.chosen = "/home/me/Downloads/twitter-2026.zip";
    });
    await page.getByTestId("import-choose").click();
    await page.waitForFunction(() => document.querySelector("[data-testid=import-path]")?.value === "/home/me/Downloads/twitter-2026.zip");
    assert.equal(await page.getByTestId("import-my-emails").count(), 0, "no address field for a Twitter archive");
  });

  test("a preview shows what would change, in words, and changes nothing", async () => {
    base = await stats(page);
    const before = base;
    await page.getByTestId("import-preview").click();
    const result = page.getByTestId("import-preview-result");
    await result.waitFor();
    const request = (await lastCall(page, "preview_import")).request;
    assert.deepEqual(request, { path: "/home/me/Downloads/twitter-2026.zip", format: null, my_emails: [] });
    assert.equal(
      await page.getByTestId("import-headline").innerText(),
      "This Twitter/X archive would add 4 contacts and 3 interactions. Nothing has been written yet.",
    );
    const counts = await page.getByTestId("import-counts").innerText();
    assert.match(counts, /Recognises 1 person you already have/);
    assert.match(counts, /1 contact is already in Kith and stays as it is\./);
    assert.match(counts, /3 items in the file are not a conversation with anyone and will be left out\./);
    const examples = await page.getByTestId("import-examples").innerText();
    assert.match(examples, /contact Jo Baptiste \(twitter @jobaptiste\)/);
    assert.match(examples, /same person as Tomás Lindgren: same Twitter\/X handle @tomas_reads/);
    assert.match(await page.getByTestId("import-notes").innerText(), /lists hold no members/);
    assert.deepEqual(await stats(page), before, "the store is as it was");
    assert.match(await page.getByTestId("nav-contacts").innerText(), /Contacts\s*5/);
    await page.screenshot({ path: join(shots, "import-preview.png"), animations: "disabled" });
  });

  test("hostile names in the file are shown as text", async () => {
    const examples = page.getByTestId("import-examples");
    assert.ok((await examples.textContent()).includes(`contact ${HOSTILE} (twitter @hostile)`));
    assert.ok((await examples.textContent()).includes("<script>alert(2)</script> hello"));
    assert.equal(await page.locator("img").count(), 0);
    assert.equal(await page.locator("main script").count(), 0);
  });

  test("importing adds the people once, and offers the possible duplicates", async () => {
    await page.getByTestId("import-run").click();
    const done = page.getByTestId("import-done");
    await done.waitFor();
    assert.equal((await lastCall(page, "import_file")).request.path, "/home/me/Downloads/twitter-2026.zip");
    assert.equal(await page.getByTestId("import-headline").innerText(), "Imported: 4 contacts and 3 interactions added.");
    imported = { ...base, contacts: base.contacts + 4, interactions: base.interactions + 3 };
    assert.deepEqual(await stats(page), imported);
    await page.waitForFunction(() => /Contacts\s*9/.test(document.querySelector("[data-testid=nav-contacts]")?.innerText ?? ""));
    const review = page.getByTestId("import-review-duplicates");
    await review.waitFor();
    assert.equal(await review.innerText(), "Review 2 possible duplicates");
    assert.match(await page.getByTestId("nav-duplicates").innerText(), /Duplicates\s*2/);
    await page.screenshot({ path: join(shots, "import-done.png"), animations: "disabled" });
    // The hostile person is in the list, as text.
    await page.getByTestId("import-see-contacts").click();
    const row = page.getByTestId("contact-row").filter({ hasText: HOSTILE });
    await row.waitFor();
    assert.equal(await row.locator(".row-name").textContent(), HOSTILE);
    assert.equal(await page.locator("img").count(), 0);
  });

  test("importing the same file again adds nothing", async () => {
    await openImport(page);
    await page.getByTestId("import-reset").click();
    assert.equal(await page.getByTestId("import-path").inputValue(), "");
    await preview(page, "  /home/me/Downloads/twitter-2026.zip ");
    await page.getByTestId("import-preview-result").waitFor();
    assert.equal(await page.getByTestId("import-headline").innerText(), "Nothing new: everything in this Twitter/X archive is already in Kith.");
    assert.match(await page.getByTestId("import-counts").innerText(), /5 contacts and 3 interactions are already in Kith/);
    await page.getByTestId("import-run").click();
    await page.getByTestId("import-done").waitFor();
    assert.equal(await page.getByTestId("import-headline").innerText(), "Nothing was added: everything in this file was already in Kith.");
    assert.deepEqual(await stats(page), imported);
  });

  test("a broken file is explained in the view, naming the file and the place", async () => {
    await page.getByTestId("import-reset").click();
    await preview(page, "/home/me/Downloads/tweets.js");
    const error = page.getByTestId("import-error");
    await error.waitFor();
    assert.equal(
      await page.getByTestId("import-error-message").innerText(),
      '/home/me/Downloads/tweets.js: data/tweets.js: line 3: expected a value, found "}". Nothing was imported.',
    );
    assert.equal(await error.getAttribute("data-code"), "bad_import");
    assert.equal(await page.getByTestId("error-banner").count(), 0, "the view explains it; no banner");
    assert.equal(await page.getByTestId("import-preview-result").count(), 0);
    await page.screenshot({ path: join(shots, "import-bad-file.png"), animations: "disabled" });
    // A path that is not there, and a format forced wrongly, are explained the same way.
    await preview(page, "/home/me/Downloads/nowhere.zip");
    await page.waitForFunction(() => /No such file/.test(document.querySelector("[data-testid=import-error-message]")?.textContent ?? ""));
    assert.equal(await error.getAttribute("data-code"), "io");
    await page.getByTestId("import-path").fill("/home/me/Downloads/twitter-2026.zip");
    await page.getByTestId("import-format").selectOption("vcard");
    assert.match(await page.locator("#im-format-help").innerText(), /Contacts exported from a phone/);
    await page.getByTestId("import-preview").click();
    await page.waitForFunction(() => /this is not a vCard file/.test(document.querySelector("[data-testid=import-error-message]")?.textContent ?? ""));
    assert.equal((await lastCall(page, "preview_import")).request.format, "vcard");
    assert.deepEqual(await stats(page), imported);
    await page.getByTestId("import-format").selectOption("");
  });

  test("cancelling a preview or an import mid-way changes nothing, and says so", async () => {
    await preview(page, "/home/me/Downloads/mastodon.zip");
    const progress = page.getByTestId("import-progress");
    await progress.waitFor();
    await page.waitForFunction(() => /Reading contacts/.test(document.querySelector("[data-testid=import-stage]")?.textContent ?? ""));
    assert.match(await page.getByTestId("import-count").innerText(), /^\d of 8$/);
    assert.equal(await page.getByTestId("import-path").isDisabled(), true, "the form waits while a run is going");
    await page.getByTestId("import-cancel").click();
    const stopped = page.getByTestId("import-cancelled");
    await stopped.waitFor();
    assert.match(await stopped.innerText(), /Preview stopped\. Nothing was changed/);

    // Now all the way to the preview, then cancel the import itself.
    await page.getByTestId("import-preview").click();
    await page.getByTestId("import-preview-result").waitFor({ timeout: 15_000 });
    assert.match(await page.getByTestId("import-headline").innerText(), /would add 8 contacts and 1 interaction/);
    const before = await stats(page);
    await page.getByTestId("import-run").click();
    await progress.waitFor();
    await page.waitForFunction(() => document.querySelector("[data-testid=import-stage]")?.textContent === "Reading contacts");
    await page.screenshot({ path: join(shots, "import-progress.png"), animations: "disabled" });
    await page.getByTestId("import-cancel").click();
    await stopped.waitFor();
    assert.match(await stopped.innerText(), /Import cancelled\. Nothing was changed/);
    assert.deepEqual(await stats(page), before, "the store is as it was");
    assert.equal(await page.getByTestId("import-run").count(), 1, "the preview stays, to import later");
    assert.equal(await page.getByTestId("error-banner").count(), 0);
  });

  test("mail asks for the user's own addresses, prefilled, and remembers new ones", async () => {
    await page.getByTestId("import-path").fill("/home/me/Mail/Inbox.mbox");
    const emails = page.getByTestId("import-my-emails");
    await emails.waitFor();
    assert.equal(await emails.inputValue(), "me@example.org");
    await emails.fill("me@example.org, not-an-address");
    await page.getByTestId("import-preview").click();
    await page.getByText("not-an-address is not an email address.").waitFor();
    await emails.fill("me@example.org, me@work.example.edu");
    await page.getByTestId("import-preview").click();
    await page.getByTestId("import-preview-result").waitFor();
    assert.deepEqual((await lastCall(page, "preview_import")).request.my_emails, ["me@example.org", "me@work.example.edu"]);
    const examples = await page.getByTestId("import-examples").innerText();
    assert.match(examples, /outbound email with Amara Nwosu: Agenda/);
    assert.match(examples, /inbound email with Amara Nwosu: Re: Agenda/);
    assert.match(examples, /same person as Amara Nwosu: same email address amara@example\.edu/);
    await page.getByTestId("import-run").click();
    await page.getByTestId("import-done").waitFor();
    assert.deepEqual(await page.evaluate(() => window.__kithFakeImport.myEmails), ["me@example.org", "me@work.example.edu"]);
    await assertClean(page, problems);
  });
});

describe("possible duplicates", () => {
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

  test("with none, the view says so", async () => {
    await page.getByTestId("nav-duplicates").click();
    await page.getByTestId("duplicates-empty").waitFor();
    assert.match(await page.getByTestId("duplicates-empty").innerText(), /No possible duplicates\./);
    assert.doesNotMatch(await page.getByTestId("nav-duplicates").innerText(), /\d/);
  });

  test("pairs are side by side with what tells them apart", async () => {
    await setFiles(page, { "/home/me/twitter.zip": twitterFile() });
    await openImport(page);
    await preview(page, "/home/me/twitter.zip");
    await page.getByTestId("import-run").click();
    await page.getByTestId("import-review-duplicates").click();
    await page.getByTestId("duplicates-view").waitFor();
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=duplicate-pair]").length === 2);
    assert.equal(await page.getByTestId("duplicates-count").innerText(), "2 possible duplicates");
    const pairs = page.getByTestId("duplicate-pair");
    const reasons = await page.getByTestId("duplicate-reason").allInnerTexts();
    assert.deepEqual(reasons.sort(), ["Same name", "Similar name"]);
    const raman = pairs.filter({ hasText: "P. Raman" });
    const text = await raman.innerText();
    assert.match(text, /Priya Raman/);
    assert.match(text, /State University Libraries/);
    assert.match(text, /Bluesky\s+priya\.bsky\.social/);
    assert.match(text, /Twitter\/X\s+@p_raman/);
    assert.match(text, /0 interactions/);
    assert.match(text, /\d+ interactions?, last .+ on /);
    assert.equal(await raman.getAttribute("data-certain"), "false");
    await page.screenshot({ path: join(shots, "duplicates.png"), animations: "disabled" });
  });

  test("merging asks first, then leaves one contact with both handles", async () => {
    const raman = page.getByTestId("duplicate-pair").filter({ hasText: "P. Raman" });
    const names = await raman.getByTestId("duplicate-name").allInnerTexts();
    const keepLeft = names[0] === "Priya Raman";
    const button = raman.getByTestId(keepLeft ? "merge-into-left" : "merge-into-right");
    const before = await stats(page);
    // Cancel first: nothing happens.
    await button.click();
    const confirm = page.getByTestId("confirm-dialog");
    await confirm.waitFor();
    const message = await confirm.innerText();
    assert.match(message, /Merge P\. Raman into Priya Raman\?/);
    assert.match(message, /P\. Raman's handles, roles, tags and notes move to Priya Raman/);
    assert.match(message, /can't be undone/);
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await confirm.waitFor({ state: "detached" });
    assert.equal(await lastCall(page, "merge_contacts"), null);
    await button.click();
    await page.getByTestId("confirm-yes").click();
    await page.getByTestId("toast").filter({ hasText: "Merged P. Raman into Priya Raman." }).waitFor();
    const merged = await lastCall(page, "merge_contacts");
    assert.equal(merged.kept, "c-priya");
    assert.notEqual(merged.absorbed, "c-priya");
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=duplicate-pair]").length === 1);
    assert.deepEqual(await stats(page), { ...before, contacts: before.contacts - 1 });
    await page.waitForFunction(() => /Duplicates\s*1/.test(document.querySelector("[data-testid=nav-duplicates]")?.innerText ?? ""));
    await page.goto(`${appUrl()}#/contacts/c-priya`);
    await page.getByTestId("contact-title").waitFor();
    assert.match(await page.locator(".handles").innerText(), /@p_raman/);
  });

  test("“not the same person” keeps a pair apart for good", async () => {
    await page.getByTestId("nav-duplicates").click();
    const rosa = page.getByTestId("duplicate-pair").filter({ hasText: "Rosa Delgado" });
    await rosa.waitFor();
    const before = await stats(page);
    await rosa.getByTestId("not-duplicates").click();
    await page.getByTestId("duplicates-empty").waitFor();
    const call = await lastCall(page, "not_duplicates");
    assert.ok([call.a, call.b].includes("c-rosa"));
    assert.deepEqual(await stats(page), before, "nobody was merged");
    await page.waitForFunction(() => !/\d/.test(document.querySelector("[data-testid=nav-duplicates]")?.innerText ?? "x"));
    // Asked again, the pair stays apart.
    await page.goto(`${appUrl()}#/contacts`);
    await page.goto(`${appUrl()}#/duplicates`);
    await page.getByTestId("duplicates-empty").waitFor();
    await assertClean(page, problems);
  });
});

describe("many possible duplicates", () => {
  test("are shown a page at a time", async () => {
    const { page, problems, context } = await openApp();
    await page.getByTestId("load-demo-button").click();
    await page.getByTestId("contact-row").first().waitFor();
    // Twelve people of one name, on twelve accounts: 66 pairs.
    const contacts = Array.from({ length: 12 }, (_, k) => ({ key: `vcard:${k}`, name: "Sam Okafor", handles: [{ platform: "email", value: `sam${k}@example.org` }] }));
    await setFiles(page, { "/home/me/contacts.vcf": { format: "vcard", contacts } });
    await openImport(page);
    await preview(page, "/home/me/contacts.vcf");
    await page.getByTestId("import-run").click();
    await page.getByTestId("import-review-duplicates").click();
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=duplicate-pair]").length === 25);
    assert.equal(await page.getByTestId("duplicates-count").innerText(), "66 possible duplicates");
    const more = page.getByTestId("duplicates-more");
    assert.equal(await more.innerText(), "Show 25 more pairs (41 left)");
    await more.click();
    await more.click();
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=duplicate-pair]").length === 66);
    assert.equal(await more.count(), 0);
    await assertClean(page, problems);
    await context.close();
  });
});

describe("on a phone-sized window", () => {
  let page;
  let problems;
  let context;

  before(async () => {
    ({ page, problems, context } = await openApp({ viewport: { width: 390, height: 800 } }));
    await page.getByTestId("load-demo-button").click();
    await page.getByTestId("contact-row").first().waitFor();
    await setFiles(page, { "/home/me/Downloads/twitter-archive-with-a-rather-long-name-2026-03-01.zip": twitterFile() });
  });
  after(async () => {
    await context.close();
  });

  const noSideways = () =>
    page.evaluate(() => {
      const pane = document.querySelector(".single-pane");
      return document.documentElement.scrollWidth <= window.innerWidth && pane !== null && pane.scrollWidth <= pane.clientWidth;
    });

  test("the import view fits, from preview to result", async () => {
    await page.getByTestId("nav-import").click();
    await page.getByTestId("import-view").waitFor();
    await preview(page, "/home/me/Downloads/twitter-archive-with-a-rather-long-name-2026-03-01.zip");
    await page.getByTestId("import-preview-result").waitFor();
    assert.equal(await noSideways(), true, "no sideways scrolling");
    await page.getByTestId("import-preview-result").scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, "import-preview-phone.png"), animations: "disabled" });
    await page.getByTestId("import-run").click();
    await page.getByTestId("import-done").waitFor();
    assert.equal(await noSideways(), true);
  });

  test("the duplicates view keeps the pair side by side", async () => {
    await page.getByTestId("nav-duplicates").click();
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=duplicate-pair]").length === 2);
    assert.equal(await noSideways(), true, "no sideways scrolling");
    const [left, right] = await page.getByTestId("duplicate-pair").first().getByTestId("duplicate-side").evaluateAll((els) => els.map((e) => e.getBoundingClientRect()));
    assert.ok(Math.abs(left.top - right.top) < 1 && left.right <= right.left, "left and right are side by side");
    await page.screenshot({ path: join(shots, "duplicates-phone.png"), animations: "disabled" });
    await assertClean(page, problems);
  });
});
