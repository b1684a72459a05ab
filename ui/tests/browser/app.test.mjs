// Drives the built UI in Debian's Chromium against the fake backend (see harness.mjs): daily
// use, the themes, errors, and hostile text.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { appUrl, assertClean, HOSTILE, lastCall, openApp, shots, useBrowser } from "./harness.mjs";

useBrowser();

describe("daily use, light theme", () => {
  let page;
  let problems;
  let context;

  before(async () => {
    ({ page, problems, context } = await openApp());
  });
  after(async () => {
    await context.close();
  });

  test("first run offers a sample network, then lists it", async () => {
    const load = page.getByTestId("load-demo-button");
    await load.waitFor();
    await page.getByText("Welcome to Kith").waitFor();
    await page.screenshot({ path: join(shots, "01-welcome-light.png"), animations: "disabled" });
    await load.click();
    await page.getByTestId("contact-row").first().waitFor();
    assert.equal(await page.getByTestId("contact-row").count(), 5);
    assert.match(await page.locator(".nav-link").first().innerText(), /Contacts\s*5/);
  });

  test("search narrows the list as you type, and / focuses it", async () => {
    await page.locator("body").click({ position: { x: 900, y: 400 } });
    await page.keyboard.press("/");
    const search = page.getByTestId("search-input");
    assert.equal(await search.evaluate((el) => el === document.activeElement), true, "/ focuses search");
    await page.keyboard.type("koha");
    // "ko" may already narrow the list to one row: wait for the search of the whole word.
    await page.waitForFunction(() => {
      const calls = window.__kithFake.calls.filter((c) => c.cmd === "list_contacts");
      return calls[calls.length - 1]?.args.filter.query === "koha";
    });
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=contact-row]").length === 1);
    assert.match(await page.getByTestId("contact-row").innerText(), /Rosa Delgado/);
    const filter = await lastCall(page, "list_contacts");
    assert.equal(filter.filter.query, "koha");
    await page.screenshot({ path: join(shots, "02-search-light.png"), animations: "disabled" });
  });

  test("the keyboard opens a contact, and the page shows what matters", async () => {
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    const title = page.getByTestId("contact-title");
    await title.waitFor();
    assert.equal(await title.innerText(), "Rosa Delgado");
    const entries = page.getByTestId("timeline-entry");
    assert.equal(await entries.count(), 3);
    assert.match(await entries.first().innerText(), /serials prediction pattern/);
    const page_ = await page.locator(".contact-page").innerText();
    assert.match(page_, /advises you/);
    assert.match(page_, /They may not know/);
    assert.match(page_, /confidential/i);
    assert.equal(await page.locator("a[href='mailto:rosa.delgado@example.org']").count(), 1);
    assert.equal(await page.locator("a[href='https://rosa.example.org/notes']").count(), 1);
    await page.screenshot({ path: join(shots, "03-contact-light.png"), animations: "disabled" });
  });

  test("a logged interaction appears first in the timeline", async () => {
    await page.getByTestId("log-interaction-button").click();
    await page.getByTestId("interaction-text").waitFor();
    await page.getByTestId("interaction-channel").selectOption("listserv");
    await page.getByTestId("interaction-direction").selectOption("outbound");
    const text = "Posted our serials checklist to the list, crediting Rosa.";
    await page.getByTestId("interaction-text").fill(text);
    await page.screenshot({ path: join(shots, "04-log-interaction-light.png"), animations: "disabled" });
    await page.getByTestId("interaction-save").click();
    await page.getByTestId("interaction-text").waitFor({ state: "detached" });
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=timeline-entry]").length === 4);
    assert.match(await page.getByTestId("timeline-entry").first().innerText(), /serials checklist/);
    const saved = await lastCall(page, "save_interaction");
    assert.deepEqual(saved.draft.contact_ids, ["c-rosa"]);
    assert.equal(saved.draft.channel, "listserv");
    assert.equal(saved.draft.public, true, "listserv posts default to public");
    assert.match(saved.draft.occurred_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  test("a hostile name is shown as text and runs nothing", async () => {
    await page.getByTestId("new-contact-button").click();
    await page.getByTestId("contact-name-input").fill(HOSTILE);
    await page.getByRole("button", { name: "Add a handle" }).click();
    await page.locator("#handle-platform-0").selectOption("blog");
    await page.locator("#handle-value-0").fill("javascript:alert(2)");
    await page.getByTestId("contact-save").click();
    const title = page.getByTestId("contact-title");
    await page.waitForFunction((h) => document.querySelector("[data-testid=contact-title]")?.textContent === h, HOSTILE);
    assert.equal(await title.textContent(), HOSTILE);
    assert.equal(await page.locator("img").count(), 0, "no element was created from the name");
    assert.equal(await page.locator(".handles a").count(), 0, "a javascript: URL is never a link");
    assert.match(await page.locator(".handles").innerText(), /javascript:alert\(2\)/);
    await page.getByTestId("search-input").fill("");
    const row = page.getByTestId("contact-row").filter({ hasText: HOSTILE });
    await row.waitFor();
    assert.equal(await row.locator(".row-name").textContent(), HOSTILE, "the list row shows it as text too");
    await page.screenshot({ path: join(shots, "05-hostile-name-light.png"), animations: "disabled" });
    await page.waitForTimeout(200);
    assert.deepEqual(problems, [], "no alert fired");
  });

  test("validation speaks next to the field", async () => {
    await page.getByTestId("new-contact-button").click();
    await page.getByTestId("contact-save").click();
    await page.getByText("Give this contact a name.").waitFor();
    assert.equal(await page.getByTestId("contact-name-input").getAttribute("aria-invalid"), "true");
    await page.getByRole("button", { name: "Cancel" }).click();
  });

  test("a mentoring moment takes Ctrl+M, a name, a line and Enter", async () => {
    await page.goto(`${appUrl()}#/contacts`);
    await page.getByTestId("contact-row").first().waitFor();
    const started = Date.now();
    await page.keyboard.press("Control+m");
    await page.getByTestId("quick-moment-dialog").waitFor();
    assert.equal(
      await page.getByTestId("quick-moment-contact").evaluate((el) => el === document.activeElement),
      true,
      "the name field has focus",
    );
    await page.keyboard.type("tom");
    await page.locator(".qm-suggestions .suggestion.is-active").waitFor();
    await page.keyboard.press("Enter");
    await page.keyboard.type("Suggested a rubric for scoring vendor demos");
    await page.screenshot({ path: join(shots, "06-quick-moment-light.png"), animations: "disabled" });
    await page.keyboard.press("Enter");
    await page.getByTestId("quick-moment-dialog").waitFor({ state: "detached" });
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 5000, `took ${elapsed} ms`);
    const saved = await lastCall(page, "save_interaction");
    assert.deepEqual(saved.draft.contact_ids, ["c-tomas"]);
    assert.equal(saved.draft.moment, "asked");
    assert.equal(saved.draft.direction, "outbound");
    assert.equal(saved.draft.channel, "twitter", "defaults to the contact's last channel");
    await page.goto(`${appUrl()}#/contacts/c-tomas`);
    await page.getByTestId("timeline-entry").first().waitFor();
    assert.match(await page.getByTestId("timeline-entry").first().innerText(), /rubric for scoring vendor demos/);
    assert.match(await page.getByTestId("timeline-entry").first().innerText(), /Asked for advice/);
  });

  test("the quick moment button works too, and Escape closes any dialog", async () => {
    await page.getByTestId("quick-moment-button").click();
    await page.getByTestId("quick-moment-dialog").waitFor();
    assert.equal(await page.getByTestId("quick-moment-contact").inputValue(), "Tomás Lindgren", "the open contact is chosen");
    await page.keyboard.press("Escape");
    await page.getByTestId("quick-moment-dialog").waitFor({ state: "detached" });
    await page.getByTestId("log-interaction-button").click();
    await page.getByTestId("interaction-dialog").waitFor();
    await page.keyboard.press("Escape");
    await page.getByTestId("interaction-dialog").waitFor({ state: "detached" });
  });

  test("deleting asks first, in the page", async () => {
    const before = await page.getByTestId("timeline-entry").count();
    await page.getByTestId("timeline-entry").first().getByRole("button", { name: "Delete this interaction" }).click();
    await page.getByTestId("confirm-dialog").waitFor();
    await page.screenshot({ path: join(shots, "07-confirm-light.png"), animations: "disabled" });
    await page.keyboard.press("Escape");
    await page.getByTestId("confirm-dialog").waitFor({ state: "detached" });
    assert.equal(await page.getByTestId("timeline-entry").count(), before, "Escape keeps it");
    await page.getByTestId("timeline-entry").first().getByRole("button", { name: "Delete this interaction" }).click();
    await page.getByTestId("confirm-yes").click();
    await page.waitForFunction((n) => document.querySelectorAll("[data-testid=timeline-entry]").length === n, before - 1);
    assert.doesNotMatch(await page.locator(".timeline").innerText(), /rubric for scoring vendor demos/);
  });

  test("editing an interaction keeps its time and changes its text", async () => {
    const entry = page.getByTestId("timeline-entry").first();
    const when = await entry.locator("time").getAttribute("datetime");
    await entry.getByRole("button", { name: "Edit this interaction" }).click();
    await page.getByTestId("interaction-text").fill("Asked how to score vendor demos; sent our rubric the next day.");
    await page.getByTestId("interaction-save").click();
    await page.getByTestId("interaction-dialog").waitFor({ state: "detached" });
    await page.waitForFunction(() =>
      document.querySelector("[data-testid=timeline-entry]")?.textContent?.includes("sent our rubric the next day"),
    );
    const saved = await lastCall(page, "save_interaction");
    assert.ok(saved.draft.id, "an edit sends the interaction's id");
    assert.equal(new Date(saved.draft.occurred_at).getTime(), Math.floor(new Date(when).getTime() / 60000) * 60000);
  });

  test("backend errors show in a dismissible banner", async () => {
    await page.evaluate(() => {
      window.__kithFake.failNext = {
        cmd: "save_contact",
        error: { code: "store_busy", message: "The store is busy with another Kith window. Try again in a moment." },
      };
    });
    await page.getByTestId("new-contact-button").click();
    await page.getByTestId("contact-name-input").fill("Jo Marsh");
    await page.getByTestId("contact-save").click();
    const banner = page.getByTestId("error-banner");
    await banner.waitFor();
    assert.match(await banner.innerText(), /busy with another Kith window/);
    assert.equal(await banner.getAttribute("data-code"), "store_busy");
    await page.screenshot({ path: join(shots, "08-error-light.png"), animations: "disabled" });
    await banner.getByRole("button", { name: "Dismiss" }).click();
    await banner.waitFor({ state: "detached" });
    await page.getByTestId("contact-save").click();
    await page.getByTestId("contact-title").filter({ hasText: "Jo Marsh" }).waitFor();
  });

  test("deleting a contact asks, then returns to the list", async () => {
    await page.locator(".page-actions").getByRole("button", { name: "Delete" }).click();
    await page.getByTestId("confirm-dialog").filter({ hasText: "Delete Jo Marsh?" }).waitFor();
    await page.getByTestId("confirm-yes").click();
    await page.getByTestId("contact-title").waitFor({ state: "detached" });
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=contact-row]").length === 6);
    assert.equal(await page.getByTestId("contact-row").filter({ hasText: "Jo Marsh" }).count(), 0);
    await page.waitForTimeout(100);
    assert.equal(await page.getByTestId("error-banner").count(), 0, "no error after the page went away");
    assert.match(page.url(), /#\/contacts$/);
  });

  test("filters narrow by role and tag", async () => {
    await page.goto(`${appUrl()}#/contacts`);
    await page.getByTestId("search-input").fill("");
    await page.getByLabel("Role").selectOption("mentor");
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=contact-row]").length === 2);
    const names = await page.getByTestId("contact-row").locator(".row-name").allInnerTexts();
    assert.deepEqual(names, ["Rosa Delgado", "Tomás Lindgren"]);
    await page.getByLabel("Tag").selectOption("metadata");
    await page.getByText("Nobody matches that search.").waitFor();
    await page.getByRole("button", { name: "Clear search and filters" }).click();
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=contact-row]").length === 6);
  });

  test("events list upcoming first and link attendees to their pages", async () => {
    await page.getByRole("link", { name: /Events/ }).click();
    await page.getByText("Code4Lib 2026").waitFor();
    const sections = await page.locator(".list-section").allInnerTexts();
    assert.deepEqual(sections.map((s) => s.toLowerCase()), ["upcoming", "past"]);
    await page.getByText("Code4Lib 2026").click();
    await page.getByRole("link", { name: "Rosa Delgado" }).waitFor();
    await page.screenshot({ path: join(shots, "09-event-light.png"), animations: "disabled" });
    await page.getByRole("link", { name: "Rosa Delgado" }).click();
    await page.getByTestId("contact-title").filter({ hasText: "Rosa Delgado" }).waitFor();
  });

  test("a new event can be added with attendees", async () => {
    await page.goto(`${appUrl()}#/events/new`);
    await page.locator("#ef-name").fill("Library Tech Meetup");
    await page.locator("#ef-kind").selectOption("meetup");
    await page.locator("#ef-starts_on").fill("2031-05-02");
    await page.locator("#ef-hashtags").fill("libtech #meetup");
    await page.getByPlaceholder("Type a name to add an attendee…").fill("wen");
    await page.locator(".suggestions .suggestion.is-active").waitFor();
    await page.keyboard.press("Enter");
    await page.locator(".chip", { hasText: "Wen Zhao" }).waitFor();
    await page.getByRole("button", { name: "Add event" }).click();
    await page.getByRole("heading", { name: "Library Tech Meetup" }).waitFor();
    const saved = await lastCall(page, "save_event");
    assert.deepEqual(saved.draft.hashtags, ["#libtech", "#meetup"]);
    assert.deepEqual(saved.draft.attendee_ids, ["c-wen"]);
    assert.equal(saved.draft.ends_on, null);
  });

  test("editing a contact shows its roles and handles, and saves changes", async () => {
    await page.goto(`${appUrl()}#/contacts/c-priya/edit`);
    const name = page.getByTestId("contact-name-input");
    await page.waitForFunction(() => document.querySelector("[data-testid=contact-name-input]")?.value === "Priya Raman");
    assert.equal(await page.locator("#role-kind-0").inputValue(), "expert");
    assert.equal(await page.locator("#handle-value-0").inputValue(), "priya.bsky.social");
    await page.getByRole("button", { name: "Add a role" }).click();
    assert.equal(await page.locator("#role-kind-1").inputValue(), "mentor");
    await page.locator("#role-direction-1").selectOption("i_advise_them");
    await page.locator("#role-topics-1").fill("conference proposals");
    await page.screenshot({ path: join(shots, "10-edit-contact-light.png"), animations: "disabled", fullPage: true });
    await name.fill("Priya R. Raman");
    await page.getByTestId("contact-save").click();
    await page.getByTestId("contact-title").filter({ hasText: "Priya R. Raman" }).waitFor();
    const roles = await page.locator(".roles").innerText();
    assert.match(roles, /you advise them/);
    assert.match(roles, /conference proposals/);
    const saved = await lastCall(page, "save_contact");
    assert.equal(saved.draft.id, "c-priya");
    assert.deepEqual(saved.draft.roles[1], {
      kind: "mentor",
      direction: "i_advise_them",
      topics: ["conference proposals"],
      acknowledged: false,
    });
  });

  test("important dates are typed in the form, shown on the page, and one coming up is in Keep in touch", async () => {
    await page.goto(`${appUrl()}#/contacts/c-priya/edit`);
    await page.waitForFunction(() => document.querySelector("[data-testid=contact-name-input]")?.value);
    const soon = new Date(Date.now() + 5 * 86_400_000);
    await page.getByTestId("add-date").click();
    await page.locator("#date-day-0").fill("31");
    await page.locator("#date-month-0").selectOption("2");
    await page.getByTestId("contact-save").click();
    assert.match(await page.getByRole("alert").filter({ hasText: "not in that month" }).innerText(), /check the day/);
    await page.locator("#date-day-0").fill(String(soon.getUTCDate()));
    await page.locator("#date-month-0").selectOption(String(soon.getUTCMonth() + 1));
    await page.locator("#date-year-0").fill("1985");
    await page.getByTestId("add-date").click();
    await page.locator("#date-kind-1").selectOption("other");
    await page.locator("#date-label-1").fill("joined the library");
    await page.locator("#date-day-1").fill("29");
    await page.locator("#date-month-1").selectOption("2");
    await page.getByTestId("contact-save").click();
    await page.getByTestId("contact-dates").waitFor();
    const dates = await page.getByTestId("contact-dates").innerText();
    assert.match(dates, /Birthday[\s\S]*1985/);
    assert.match(dates, /Joined the library[\s\S]*29/);
    const saved = await lastCall(page, "save_contact");
    assert.deepEqual(saved.draft.dates[1], { kind: "other", label: "joined the library", month: 2, day: 29, year: null });
    await page.getByTestId("nav-keep-in-touch").click();
    const row = page.getByTestId("upcoming-date-row").filter({ hasText: "Priya" });
    await row.waitFor();
    assert.match(await row.innerText(), /Birthday[\s\S]*in 5 days/);
  });

  test("nothing broke the content security policy or logged an error", async () => {
    await assertClean(page, problems);
  });
});

describe("dark theme", () => {
  test("reads well in dark, and the toggle is remembered", async () => {
    const { page, problems, context } = await openApp({ colorScheme: "dark", viewport: { width: 1600, height: 1000 } });
    await page.getByTestId("load-demo-button").waitFor();
    await page.screenshot({ path: join(shots, "11-welcome-dark.png"), animations: "disabled" });
    await page.getByTestId("load-demo-button").click();
    await page.getByTestId("contact-row").first().waitFor();
    await page.getByTestId("contact-row").filter({ hasText: "Rosa Delgado" }).click();
    await page.getByTestId("contact-title").waitFor();
    await page.screenshot({ path: join(shots, "12-contact-dark.png"), animations: "disabled" });
    await page.keyboard.press("Control+m");
    await page.getByTestId("quick-moment-dialog").waitFor();
    await page.getByTestId("quick-moment-text").fill("Thanked her for the serials cheat sheet");
    await page.screenshot({ path: join(shots, "13-quick-moment-dark.png"), animations: "disabled" });
    await page.keyboard.press("Escape");
    const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const darkBg = await bg();
    await page.getByRole("button", { name: "Light theme" }).click();
    assert.notEqual(await bg(), darkBg);
    await page.reload();
    await page.getByRole("button", { name: "Dark theme" }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "light");
    await assertClean(page, problems);
    await context.close();
  });
});

describe("a store that cannot be opened", () => {
  test("is explained in the window, and can be retried", async () => {
    const message =
      "/home/ana/kith.sqlite3: this store was written by a newer Kith (schema 9, this version knows up to 1). Update Kith to open it; the file was left untouched.";
    const { page, problems, context } = await openApp({ config: { storeProblem: { code: "store_too_new", message } } });
    const panel = page.getByTestId("store-problem");
    await panel.waitFor();
    assert.match(await panel.innerText(), /newer Kith/);
    assert.match(await panel.innerText(), /schema 9/);
    assert.equal(await page.getByTestId("error-banner").count(), 0, "the banner does not repeat it");
    assert.equal(await page.getByTestId("load-demo-button").count(), 0, "no offer to load a sample into it");
    await page.screenshot({ path: join(shots, "15-store-problem-light.png"), animations: "disabled" });
    await page.evaluate(() => {
      window.__kithFake.storeProblem = null;
    });
    await page.getByRole("button", { name: "Try again" }).click();
    await page.getByTestId("load-demo-button").waitFor();
    await assertClean(page, problems);
    await context.close();
  });
});

describe("a job interrupted before the app opened", () => {
  test("is finished by the store, and the window says what was done, once", async () => {
    const said =
      "A passphrase change was interrupted after its new copies were written; Kith has finished it: the store and 2 backups are now locked with the new passphrase.";
    const { page, problems, context } = await openApp({ config: { tidied: [said] } });
    const toast = page.getByTestId("toast");
    await toast.waitFor();
    assert.match(await toast.innerText(), /has finished it/);
    await assertClean(page, problems);
    await context.close();
  });
});

describe("a large network", () => {
  test("50,000 contacts keep only the visible rows in the page", async () => {
    const { page, problems, context } = await openApp({ config: { bulkContacts: 50000 } });
    await page.getByTestId("contact-row").first().waitFor();
    await page.getByText("50,000 contacts").waitFor();
    const rows = await page.getByTestId("contact-row").count();
    assert.ok(rows > 5 && rows < 60, `${rows} rows in the DOM`);
    await page.locator("#contact-list").focus();
    await page.keyboard.press("End");
    await page.locator("#contact-row-49999.is-active").waitFor();
    assert.ok((await page.getByTestId("contact-row").count()) < 60);
    await page.keyboard.press("Home");
    await page.locator("#contact-row-0.is-active").waitFor();
    const frameTimes = await page.evaluate(async () => {
      const list = document.getElementById("contact-list");
      const times = [];
      let last = performance.now();
      for (let i = 0; i < 60; i++) {
        list.scrollTop += 900;
        await new Promise((r) => requestAnimationFrame(r));
        const now = performance.now();
        times.push(now - last);
        last = now;
      }
      return times.sort((a, b) => a - b);
    });
    const median = frameTimes[Math.floor(frameTimes.length / 2)];
    assert.ok(median < 50, `median frame while scrolling: ${median.toFixed(1)} ms`);
    await page.screenshot({ path: join(shots, "14-large-list-light.png"), animations: "disabled" });

    // One word matches 5,000 of them: the search lists the best 500 and says so.
    await page.getByTestId("search-input").fill("Ada");
    await page.getByText("The best 500 matches; type more to narrow the search").waitFor();
    const asked = await page.evaluate(() =>
      window.__kithFake.calls.filter((c) => c.cmd === "list_contacts" && c.args.filter?.query === "Ada").map((c) => c.args.filter.limit),
    );
    assert.deepEqual(asked, [500], "the search asks for the best 500");
    await page.screenshot({ path: join(shots, "15-search-capped.png"), animations: "disabled" });
    await page.getByTestId("search-input").fill("Ada Okafor 00000");
    await page.getByText("1 match").waitFor();
    await assertClean(page, problems);
    await context.close();
  });
});

describe("suggestions, keep in touch and plans", () => {
  let page;
  let problems;
  let context;

  const cards = () => page.getByTestId("suggestion-card");
  const card = (text) => cards().filter({ hasText: text });
  const opened = () => page.evaluate(() => window.__kithFake.opened.slice());

  before(async () => {
    ({ page, problems, context } = await openApp());
    await page.getByTestId("load-demo-button").click();
    await page.getByTestId("contact-row").first().waitFor();
  });
  after(async () => {
    await context.close();
  });

  test("the sidebar counts suggestions and overdue contacts", async () => {
    await page.waitForFunction(() => document.querySelector("[data-testid=nav-suggestions] .count")?.textContent === "6");
    assert.equal(await page.getByTestId("nav-keep-in-touch").locator(".count").innerText(), "1");
    const marker = page.getByTestId("contact-row").filter({ hasText: "Amara Nwosu" }).getByTestId("overdue-marker");
    await marker.waitFor();
    assert.match(await marker.getAttribute("title"), /every 60 days: 30 days overdue/);
    assert.equal(await page.getByTestId("overdue-marker").count(), 1, "only the overdue contact is marked");
  });

  test("the Suggestions view lists them best first, with reasons and evidence", async () => {
    await page.getByTestId("nav-suggestions").click();
    await page.getByTestId("suggestions-view").waitFor();
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=suggestion-card]").length === 6);
    const first = cards().first();
    assert.match(await first.innerText(), /Tomás Lindgren/);
    assert.match(await first.innerText(), /Continue by email/);
    assert.match(await first.innerText(), /Twitter\/X\s*to\s*Email/);
    assert.match(await first.innerText(), /Tomás Lindgren asked you in public on Twitter\/X .*“Asked how to score vendor demos fairly/);
    const meet = card("Wen Zhao");
    assert.match(await meet.innerText(), /Meet in person/);
    assert.match(await meet.innerText(), /never met Wen Zhao in person/);
    assert.equal(await meet.getByRole("link", { name: "Code4Lib 2026" }).count(), 1, "the event is linked");
    // Evidence links say which interaction they open once the timelines are in.
    const thread = card("outgrown Bluesky");
    await thread.getByTestId("suggestion-evidence").nth(2).filter({ hasText: /\d{4}/ }).waitFor();
    assert.equal(await thread.getByTestId("suggestion-evidence").count(), 3);
    await page.getByTestId("overdue-row").filter({ hasText: "Amara Nwosu" }).waitFor();
    await page.screenshot({ path: join(shots, "20-suggestions-light.png"), animations: "disabled" });
  });

  test("an evidence link opens the contact page at that entry", async () => {
    await card("outgrown Bluesky").getByTestId("suggestion-evidence").last().click();
    await page.getByTestId("contact-title").filter({ hasText: "Priya Raman" }).waitFor();
    const highlighted = page.locator(".timeline-entry.is-highlighted");
    await highlighted.waitFor();
    assert.match(await highlighted.innerText(), /Known gap in the profile/);
    assert.equal(await highlighted.evaluate((el) => el === document.activeElement), true, "focus is on the entry");
    assert.equal(await page.locator(".timeline-entry.is-highlighted").count(), 1);
    assert.match(page.url(), /#\/contacts\/c-priya\/timeline\//);
  });

  test("accepting with a plan and a due date removes the card and lists the plan", async () => {
    await page.getByTestId("nav-suggestions").click();
    const tomas = card("Tomás Lindgren");
    await tomas.getByTestId("suggestion-accept").click();
    const note = tomas.getByTestId("suggestion-note");
    assert.equal(await note.evaluate((el) => el === document.activeElement), true, "the plan field has focus");
    const weekAhead = await page.evaluate(() => {
      const d = new Date();
      d.setDate(d.getDate() + 7);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
    });
    assert.equal(await tomas.getByTestId("suggestion-due").inputValue(), weekAhead, "due a week ahead by default");
    await note.fill("Email him our demo-scoring rubric and offer a call.");
    await tomas.getByTestId("suggestion-due").fill("2031-05-09");
    await page.screenshot({ path: join(shots, "21-accept-light.png"), animations: "disabled" });
    await tomas.getByTestId("suggestion-save").click();
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=suggestion-card]").length === 5);
    assert.equal(await card("Tomás Lindgren").count(), 0);
    const accepted = await lastCall(page, "accept_suggestion");
    assert.deepEqual(accepted, {
      id: "s-mentoring_ask-c-tomas-i-5",
      note: "Email him our demo-scoring rubric and offer a call.",
      due: "2031-05-09",
    });
    const plan = page.getByTestId("follow-up").filter({ hasText: "Tomás Lindgren" });
    await plan.waitFor();
    assert.match(await plan.innerText(), /Continue the conversation with Tomás Lindgren on Email/);
    assert.match(await plan.innerText(), /demo-scoring rubric/);
    assert.equal(await plan.getByRole("button", { name: "Draft an email" }).count(), 0, "no address, no draft");
    assert.equal(await plan.getByRole("button", { name: "Add to calendar" }).count(), 1);
    assert.match(await plan.innerText(), /Due May 9, 2031 · due in [\d,]+ days/);
    const toast = page.getByTestId("toast");
    await toast.waitFor();
    assert.match(await toast.innerText(), /Plan saved/);
    assert.equal(await toast.getByRole("button", { name: "Draft an email" }).count(), 0, "Tomás has no email address");
    await toast.getByRole("button", { name: "Add to calendar" }).click();
    assert.deepEqual(await opened(), ["calendar:s-mentoring_ask-c-tomas-i-5"]);
    assert.match(await page.getByTestId("nav-suggestions").innerText(), /Suggestions\s*5/);
  });

  test("after accepting without a due date, the toast drafts an email", async () => {
    const thread = card("outgrown Bluesky");
    await thread.getByTestId("suggestion-accept").click();
    await thread.getByTestId("suggestion-due").fill("");
    await thread.getByTestId("suggestion-note").fill("Ask for the series workaround by email.");
    await page.keyboard.press("Control+Enter");
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=suggestion-card]").length === 4);
    assert.equal((await lastCall(page, "accept_suggestion")).due, null);
    const toast = page.getByTestId("toast").filter({ hasText: "Priya Raman" });
    await toast.waitFor();
    assert.equal(await toast.getByRole("button", { name: "Add to calendar" }).count(), 0, "no due date, no calendar");
    await page.screenshot({ path: join(shots, "22-accepted-light.png"), animations: "disabled" });
    await toast.getByRole("button", { name: "Draft an email" }).click();
    await page.waitForFunction(() => window.__kithFake.opened.length === 2);
    const mail = new URL((await opened())[1]);
    assert.equal(mail.protocol, "mailto:");
    assert.equal(mail.pathname, "praman@example.edu");
    assert.equal(mail.searchParams.get("subject"), "Continuing our conversation");
    assert.match(mail.searchParams.get("body"), /^Hi Priya,/);
    const priyaPlan = page.getByTestId("follow-up").filter({ hasText: "Priya Raman" });
    assert.match(await priyaPlan.innerText(), /No due date/);
    await priyaPlan.getByRole("button", { name: "Draft an email" }).click();
    await page.waitForFunction(() => window.__kithFake.opened.length === 3);
    assert.equal(new URL((await opened())[2]).pathname, "praman@example.edu");
  });

  test("dismiss and snooze take cards away, and they stay away", async () => {
    await card("Wen Zhao").getByTestId("suggestion-dismiss").click();
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=suggestion-card]").length === 3);
    assert.deepEqual(await lastCall(page, "dismiss_suggestion"), { id: "s-meet_at_event-c-wen-e-c4l", until: null });
    const amara = card("Amara Nwosu");
    assert.match(await amara.innerText(), /Get back in touch by email/);
    assert.match(await amara.innerText(), /every 60 days, and that was due 30 days ago/);
    await amara.getByTestId("suggestion-snooze").click();
    const choices = amara.getByTestId("suggestion-snooze-choices");
    await choices.waitFor();
    const before = Date.now();
    await choices.getByRole("button", { name: "1 week" }).click();
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=suggestion-card]").length === 2);
    const snoozed = await lastCall(page, "dismiss_suggestion");
    assert.equal(snoozed.id, "s-gone_quiet-c-amara-i-6");
    const days = (Date.parse(snoozed.until) - before) / 86_400_000;
    assert.ok(days > 6.9 && days < 7.1, `snoozed for ${days} days`);
    await page.getByTestId("toast").filter({ hasText: "Snoozed until" }).waitFor();
    // Leave and come back: the view reads the list afresh from the backend.
    const reads = await page.evaluate(() => window.__kithFake.calls.filter((c) => c.cmd === "list_suggestions").length);
    await page.getByTestId("nav-contacts").click();
    await page.getByTestId("nav-suggestions").click();
    await page.waitForFunction((n) => window.__kithFake.calls.filter((c) => c.cmd === "list_suggestions").length > n, reads);
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=suggestion-card]").length === 2);
    const names = await cards().locator(".sg-contact").allInnerTexts();
    assert.deepEqual(names, ["Priya Raman", "Rosa Delgado"]);
    assert.equal(await page.getByTestId("follow-up").count(), 2, "the plans are still listed");
  });

  test("a plan marked done leaves the list, for good", async () => {
    const plan = page.getByTestId("follow-up").filter({ hasText: "Tomás Lindgren" });
    await plan.getByTestId("follow-up-done").click();
    await page.getByTestId("toast").filter({ hasText: "Done:" }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=follow-up]").length === 1);
    const done = await lastCall(page, "complete_follow_up");
    assert.ok(done.suggestionId, "the plan's suggestion id is sent");
    // Read afresh: the backend no longer lists it either.
    await page.getByTestId("nav-contacts").click();
    await page.getByTestId("nav-suggestions").click();
    await page.getByTestId("follow-up").first().waitFor();
    assert.equal(await page.getByTestId("follow-up").count(), 1);
    assert.equal(await page.getByTestId("follow-up").filter({ hasText: "Tomás Lindgren" }).count(), 0);
  });

  test("keep in touch shows who is overdue, and a row opens the contact", async () => {
    await page.getByTestId("nav-keep-in-touch").click();
    await page.getByTestId("keep-in-touch-view").waitFor();
    const rows = page.getByTestId("keep-in-touch-row");
    await rows.first().waitFor();
    assert.equal(await rows.count(), 3);
    const first = await rows.first().innerText();
    assert.match(first, /Amara Nwosu/);
    assert.match(first, /every 60 days/);
    assert.match(first, /Last in touch\s*\d months ago/);
    assert.match(first, /30 days overdue/);
    assert.match(await rows.nth(1).innerText(), /Tomás Lindgren[\s\S]*every 14 days[\s\S]*due in 13 days/);
    await page.screenshot({ path: join(shots, "23-keep-in-touch-light.png"), animations: "disabled" });
    await rows.first().focus();
    await page.keyboard.press("Enter");
    await page.getByTestId("contact-title").filter({ hasText: "Amara Nwosu" }).waitFor();
    assert.match(await page.getByTestId("contact-keep-in-touch").innerText(), /Every 60 days[\s\S]*30 days overdue/);
  });

  test("a contact page shows its suggestions at the top, with the same actions", async () => {
    await page.getByTestId("contact-row").filter({ hasText: "Rosa Delgado" }).click();
    await page.getByTestId("contact-title").filter({ hasText: "Rosa Delgado" }).waitFor();
    const panel = page.getByTestId("contact-suggestions");
    await panel.waitFor();
    assert.equal(await panel.getByTestId("suggestion-card").count(), 1);
    const text = await panel.innerText();
    assert.match(text, /Meet in person/);
    assert.match(text, /You have only met online: 3 interactions/);
    assert.doesNotMatch(text, /Rosa Delgado ·/, "the page already says who");
    await page.screenshot({ path: join(shots, "24-contact-panel-light.png"), animations: "disabled" });
    await panel.getByTestId("suggestion-dismiss").click();
    await panel.waitFor({ state: "detached" });
    assert.match(await page.getByTestId("nav-suggestions").innerText(), /Suggestions\s*1/);
  });

  test("links on a contact page open outside the window", async () => {
    const url = page.url();
    await page.locator(".handles a[href='https://rosa.example.org/notes']").click();
    await page.locator(".handles a[href='mailto:rosa.delgado@example.org']").click();
    await page.waitForFunction(() => window.__kithFake.opened.length === 5);
    assert.deepEqual((await opened()).slice(3), ["https://rosa.example.org/notes", "mailto:rosa.delgado@example.org"]);
    assert.equal(page.url(), url, "the window did not navigate");
  });

  test("imported text quoted in a reason stays text, and a hostile name cannot add recipients", async () => {
    await page.getByTestId("new-contact-button").click();
    await page.getByTestId("contact-name-input").fill(`Eve&bcc=mallory@example.net ${HOSTILE}`);
    await page.getByRole("button", { name: "Add a handle" }).click();
    await page.locator("#handle-platform-0").selectOption("email");
    await page.locator("#handle-value-0").fill("eve@example.org");
    await page.getByTestId("contact-save").click();
    await page.getByTestId("log-interaction-button").click();
    await page.getByTestId("interaction-channel").selectOption("mastodon");
    await page.getByTestId("interaction-direction").selectOption("inbound");
    await page.getByTestId("interaction-text").fill(`Could you look at this? ${HOSTILE}`);
    await page.getByTestId("interaction-save").click();
    const panel = page.getByTestId("contact-suggestions");
    await panel.waitFor();
    const reasons = await panel.locator(".sg-reasons").textContent();
    assert.ok(reasons.includes(HOSTILE), "the quoted text is shown as typed");
    assert.equal(await page.locator("img").count(), 0, "no element was created from it");
    await panel.getByTestId("suggestion-accept").click();
    await panel.getByTestId("suggestion-save").click();
    await page.getByTestId("toast").getByRole("button", { name: "Draft an email" }).click();
    await page.waitForFunction(() => window.__kithFake.opened.length === 6);
    const mail = new URL((await opened())[5]);
    assert.equal(mail.pathname, "eve@example.org");
    assert.deepEqual([...mail.searchParams.keys()], ["subject", "body"]);
    assert.equal(mail.searchParams.get("body"), "Hi Eve&bcc=mallory@example.net,\r\n\r\n");
    await page.waitForTimeout(100);
    assert.deepEqual(problems, [], "no alert fired");
  });

  test("nothing broke the content security policy or logged an error", async () => {
    await assertClean(page, problems);
  });
});

describe("suggestions in the dark theme", () => {
  test("read well in dark", async () => {
    const { page, problems, context } = await openApp({ colorScheme: "dark", viewport: { width: 1600, height: 1000 } });
    await page.getByTestId("load-demo-button").click();
    await page.getByTestId("contact-row").first().waitFor();
    await page.getByTestId("nav-suggestions").click();
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=suggestion-card]").length === 6);
    await page.getByTestId("suggestion-card").nth(1).getByTestId("suggestion-snooze").click();
    await page.getByTestId("suggestion-card").first().getByTestId("suggestion-accept").click();
    await page.screenshot({ path: join(shots, "25-suggestions-dark.png"), animations: "disabled" });
    await page.getByTestId("suggestion-card").first().getByTestId("suggestion-save").click();
    await page.getByTestId("toast").waitFor();
    await page.screenshot({ path: join(shots, "26-accepted-dark.png"), animations: "disabled" });
    await page.getByTestId("nav-keep-in-touch").click();
    await page.getByTestId("keep-in-touch-row").first().waitFor();
    await page.screenshot({ path: join(shots, "27-keep-in-touch-dark.png"), animations: "disabled" });
    await page.goto(`${appUrl()}#/contacts/c-priya`);
    await page.getByTestId("contact-suggestions").waitFor();
    await page.screenshot({ path: join(shots, "28-contact-panel-dark.png"), animations: "disabled" });
    await page.setViewportSize({ width: 800, height: 900 });
    await page.getByTestId("nav-suggestions").click();
    await page.getByTestId("suggestion-card").first().waitFor();
    assert.equal(await page.getByTestId("nav-keep-in-touch").locator(".count").isVisible(), true, "the overdue count stays in the narrow sidebar");
    await page.screenshot({ path: join(shots, "30-suggestions-narrow-dark.png"), animations: "disabled" });
    await assertClean(page, problems);
    await context.close();
  });
});

describe("no suggestions yet", () => {
  test("the empty view explains what Kith looks for", async () => {
    const { page, problems, context } = await openApp();
    await page.getByTestId("load-demo-button").waitFor();
    await page.getByTestId("nav-suggestions").click();
    await page.getByTestId("suggestions-empty").waitFor();
    const text = await page.getByTestId("suggestions-empty").innerText();
    assert.match(text, /public thread has run long/);
    assert.match(text, /same event as someone you only know online/);
    await page.screenshot({ path: join(shots, "29-suggestions-empty-light.png"), animations: "disabled" });
    await assertClean(page, problems);
    await context.close();
  });
});

describe("a long timeline, a page at a time", () => {
  let page;
  let problems;
  let context;

  before(async () => {
    // One interaction on the first page, so Rosa's other two come on the next.
    ({ page, problems, context } = await openApp({ config: { timelinePage: 1 } }));
    await page.getByTestId("load-demo-button").click();
    await page.getByTestId("contact-row").first().waitFor();
  });
  after(async () => {
    await context.close();
  });

  test("older pages load as the end of the timeline comes into view, and the count is of all", async () => {
    await page.getByTestId("contact-row").filter({ hasText: "Rosa Delgado" }).click();
    await page.getByTestId("contact-title").filter({ hasText: "Rosa Delgado" }).waitFor();
    assert.match(await page.getByTestId("timeline-count").innerText(), /^3 interactions$/);
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=timeline-entry]").length === 3);
    assert.equal(await page.getByTestId("timeline-more").count(), 0, "nothing older is left");
    const texts = await page.getByTestId("timeline-entry").allInnerTexts();
    assert.match(texts[0], /serials prediction pattern/);
    assert.match(texts[2], /joint conference proposal/);
    const pages = await page.evaluate(() => window.__kithFake.calls.filter((c) => c.cmd === "contact_timeline").map((c) => c.args));
    assert.equal(pages.length, 1, "one more page, asked for once");
    assert.equal(pages[0].id, "c-rosa");
    assert.match(pages[0].after, /\|/, "it starts after the first page's last entry");
    assert.equal(pages[0].limit, 200);
    await assertClean(page, problems);
  });

  test("an entry on an older page is loaded and shown when the address points at it", async () => {
    const oldest = await page.getByTestId("timeline-entry").last().getAttribute("data-interaction-id");
    await page.evaluate(() => {
      location.hash = "#/contacts";
    });
    await page.getByTestId("contact-title").waitFor({ state: "detached" });
    await page.evaluate((id) => {
      location.hash = `#/contacts/c-rosa/timeline/${encodeURIComponent(id)}`;
    }, oldest);
    const highlighted = page.locator(".timeline-entry.is-highlighted");
    await highlighted.waitFor();
    assert.match(await highlighted.innerText(), /joint conference proposal/);
    assert.equal(await highlighted.evaluate((el) => el === document.activeElement), true, "focus is on the entry");
    await assertClean(page, problems);
  });
});
