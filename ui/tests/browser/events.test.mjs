// The event pages in Debian's Chromium against the fake backend (see harness.mjs): the
// briefing (its sections, hostile text, saving without silently replacing, printing, a phone-
// sized window), matching an attendee list, and logging who was met.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { appUrl, assertClean, HOSTILE, lastCall, openApp, shots, useBrowser } from "./harness.mjs";

useBrowser();

const DAY = 24 * 3600 * 1000;

/** Calls a backend command the way the app does, for setting up data. */
const invoke = (page, cmd, args) => page.evaluate(([c, a]) => window.__TAURI_INTERNALS__.invoke(c, a), [cmd, args]);

async function loadSample(page) {
  await page.getByTestId("load-demo-button").click();
  await page.getByTestId("contact-row").first().waitFor();
}

/**
 * Adds to the sample: a contact with a hostile name on Code4Lib's list, waiting for a reply; a
 * coffee with Rosa long ago (so she has been met); and Tomás using the conference's hashtag.
 */
async function addBriefingData(page) {
  const hostile = await invoke(page, "save_contact", {
    draft: {
      name: HOSTILE,
      organisation: HOSTILE,
      location: "Portland, OR",
      notes: `Notes: ${HOSTILE}`,
      handles: [{ platform: "blog", value: "javascript:alert(3)" }],
      roles: [{ kind: "mentor", direction: "they_advise_me", topics: [HOSTILE], acknowledged: true }],
      expertise: [HOSTILE],
    },
  });
  const ago = (days) => new Date(Date.now() - days * DAY).toISOString();
  await invoke(page, "save_interaction", {
    draft: { contact_ids: [hostile.id], channel: "mastodon", direction: "inbound", occurred_at: ago(2), text: `Asked: ${HOSTILE}` },
  });
  await invoke(page, "save_interaction", {
    draft: { contact_ids: ["c-rosa"], channel: "in_person", direction: "mutual", occurred_at: ago(200), text: "Coffee at the Koha user group." },
  });
  await invoke(page, "save_interaction", {
    draft: { contact_ids: ["c-tomas"], channel: "twitter", direction: "inbound", occurred_at: ago(8), text: "First #code4lib for me this year!" },
  });
  await invoke(page, "add_attendees", { eventId: "e-c4l", contactIds: [hostile.id] });
  return hostile;
}

const idsIn = (page, section) =>
  page.getByTestId(section).locator("[data-contact-id]").evaluateAll((els) => els.map((e) => e.dataset.contactId));

describe("the briefing", () => {
  let page;
  let problems;
  let context;
  let hostile;

  before(async () => {
    ({ page, problems, context } = await openApp());
    await loadSample(page);
    hostile = await addBriefingData(page);
  });
  after(async () => {
    await context.close();
  });

  test("is reached from the event page and lists people in the right sections", async () => {
    await page.getByTestId("nav-events").click();
    await page.getByRole("link", { name: /Code4Lib 2026/ }).click();
    await page.getByTestId("event-brief-link").click();
    await page.getByTestId("briefing").waitFor();
    assert.equal(await page.getByTestId("briefing-title").innerText(), "Briefing: Code4Lib 2026");
    assert.match(page.url(), /#\/events\/e-c4l\/brief$/);

    // Known only online: most interactions first (Priya 6, then Wen and the hostile contact).
    const meet = await idsIn(page, "brief-meet");
    assert.deepEqual(new Set(meet), new Set(["c-priya", "c-wen", hostile.id]));
    assert.equal(meet[0], "c-priya");
    assert.deepEqual(await idsIn(page, "brief-met-before"), ["c-rosa"]);
    assert.deepEqual(await idsIn(page, "brief-likely"), ["c-tomas"], "the hashtag user, not on the list");
    const likely = await page.getByTestId("brief-likely").innerText();
    assert.match(likely, /Used #code4lib in 1 interaction, last on Twitter\/X on \d{4}-\d{2}-\d{2}\./);

    const rosa = page.locator("[data-testid=brief-person][data-contact-id=c-rosa]");
    const rosaText = await rosa.innerText();
    assert.match(rosaText, /mentors you/);
    assert.match(rosaText, /on Koha serials, career/);
    assert.match(rosaText, /How you met\s*at #code4lib chat \(2021-09-14\), through Priya Raman/);
    assert.match(rosaText, /last met/);
    assert.match(rosaText, /Coffee at the Koha user group\./);
    assert.doesNotMatch(rosaText, /director role/, "private notes stay out of a briefing");
    const acks = await rosa.getByTestId("brief-role-ack").evaluateAll((els) => els.map((e) => e.dataset.acknowledged));
    assert.deepEqual(acks, ["false", "true"]);

    const priya = page.locator("[data-testid=brief-person][data-contact-id=c-priya]");
    const waiting = priya.locator("[data-testid=brief-open][data-waiting=true]");
    assert.equal(await waiting.count(), 1, "the unanswered thread is waiting on you");
    assert.match(await waiting.innerText(), /Waiting on you[\s\S]*bibframe editor[\s\S]*Known gap in the profile/);
    assert.match(await priya.getByTestId("brief-suggestion").first().innerText(), /Meet in person[\s\S]*You are both going to Code4Lib 2026/);
    assert.match(await priya.innerText(), /Talking points[\s\S]*linked data/i);
    assert.ok((await priya.locator(".brief-entry .channel-icon[aria-label=Bluesky]").count()) > 0, "channel icons name their channel");

    await page.screenshot({ path: join(shots, "events-01-briefing-desktop.png"), animations: "disabled" });
  });

  test("shows hostile text as text, links nothing unsafe, and links each name to the contact", async () => {
    const card = page.locator(`[data-testid=brief-person][data-contact-id="${hostile.id}"]`);
    assert.equal(await card.getByTestId("brief-person-link").textContent(), HOSTILE);
    assert.match(await card.innerText(), new RegExp(`Asked: ${HOSTILE.replace(/[()]/g, "\\$&")}`));
    assert.equal(await page.locator("img").count(), 0, "no element was made from the text");
    assert.equal(await card.locator(".handles a").count(), 0, "a javascript: address is never a link");
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, "events-02-briefing-hostile.png"), animations: "disabled" });

    await page.locator("[data-testid=brief-person][data-contact-id=c-wen]").getByTestId("brief-person-link").click();
    await page.getByTestId("contact-title").waitFor();
    assert.equal(await page.getByTestId("contact-title").innerText(), "Wen Zhao");
    await page.goBack();
    await page.getByTestId("briefing").waitFor();
  });

  test("saving asks before replacing a file, and a cancelled dialog saves nothing", async () => {
    const setSave = (path) => page.evaluate((p) => (window.__kithFakeEvents.savePath = p), path);
    const saved = () => page.evaluate(() => window.__kithFakeEvents.saved.map((s) => `${s.format} ${s.path}`));

    await setSave(null);
    await page.getByTestId("brief-save-pdf").click();
    await page.waitForFunction(() => window.__kithFake.calls.some((c) => c.cmd === "choose_save_path"));
    const asked = await lastCall(page, "choose_save_path");
    assert.deepEqual(asked, { target: "brief_pdf", suggestedName: "Code4Lib 2026 briefing.pdf" });
    assert.deepEqual(await saved(), [], "cancelling the dialog writes nothing");

    await setSave("/home/me/c4l.pdf");
    await page.getByTestId("brief-save-pdf").click();
    await page.getByTestId("toast").filter({ hasText: "Briefing saved to /home/me/c4l.pdf" }).waitFor();
    assert.deepEqual(await saved(), ["pdf /home/me/c4l.pdf"]);

    // The same file again: the backend refuses, the app asks.
    await page.getByTestId("brief-save-pdf").click();
    const dialog = page.getByTestId("confirm-dialog");
    await dialog.waitFor();
    assert.match(await dialog.innerText(), /\/home\/me\/c4l\.pdf already exists/);
    await page.screenshot({ path: join(shots, "events-03-briefing-replace.png"), animations: "disabled" });
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    assert.deepEqual(await saved(), ["pdf /home/me/c4l.pdf"], "nothing replaced after Cancel");

    await page.getByTestId("brief-save-pdf").click();
    await page.getByTestId("confirm-yes").click();
    await page.waitForFunction(() => window.__kithFakeEvents.saved.length === 2);
    const last = await lastCall(page, "save_briefing");
    assert.deepEqual(last, { eventId: "e-c4l", format: "pdf", path: "/home/me/c4l.pdf", overwrite: true });
  });

  test("a typed path saves in the format its extension names", async () => {
    const input = page.getByTestId("brief-path-input");
    await input.fill("/home/me/notes.txt");
    await page.getByTestId("brief-path-save").click();
    await page.getByText("End the file name with .pdf, .html or .md").waitFor();
    assert.equal(await input.getAttribute("aria-invalid"), "true");
    await input.fill("/home/me/c4l.md");
    await input.press("Enter");
    await page.waitForFunction(() => window.__kithFakeEvents.saved.some((s) => s.path === "/home/me/c4l.md"));
    assert.deepEqual(await lastCall(page, "save_briefing"), { eventId: "e-c4l", format: "markdown", path: "/home/me/c4l.md", overwrite: false });
    await page.evaluate(() => (window.__kithFakeEvents.savePath = "/home/me/c4l.html"));
    await page.getByTestId("brief-save-html").click();
    await page.waitForFunction(() => window.__kithFakeEvents.saved.some((s) => s.format === "html"));
  });

  test("prints without the window's chrome", async () => {
    await page.evaluate(() => {
      window.__printed = 0;
      window.print = () => {
        window.__printed += 1;
      };
    });
    await page.getByTestId("brief-print").click();
    assert.equal(await page.evaluate(() => window.__printed), 1);
    await page.emulateMedia({ media: "print" });
    const hidden = await page.evaluate(() =>
      [".sidebar", ".brief-actions", ".brief-back"].map((s) => getComputedStyle(document.querySelector(s)).display),
    );
    assert.deepEqual(hidden, ["none", "none", "none"]);
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector(".single-pane")).overflowY), "visible", "every page prints, not one screen");
    await page.screenshot({ path: join(shots, "events-04-briefing-print.png"), animations: "disabled" });
    await page.emulateMedia({ media: "screen" });
  });

  test("follows what is logged while it is open", async () => {
    const wen = page.locator("[data-testid=brief-person][data-contact-id=c-wen]");
    assert.match(await wen.innerText(), /nothing logged yet/);
    await page.keyboard.press("Control+m");
    await page.getByTestId("quick-moment-dialog").waitFor();
    await page.keyboard.type("wen");
    await page.locator(".qm-suggestions .suggestion.is-active").waitFor();
    await page.keyboard.press("Enter");
    await page.keyboard.type("Asked about FOLIO acquisitions before the conference");
    await page.keyboard.press("Enter");
    await page.getByTestId("quick-moment-dialog").waitFor({ state: "detached" });
    await wen.filter({ hasText: "Asked about FOLIO acquisitions" }).waitFor();
    assert.match(await wen.innerText(), /1 interaction, last just now/);
  });

  test("nothing broke the content security policy or logged an error", async () => {
    await assertClean(page, problems);
  });
});

describe("the briefing in the dark theme", () => {
  test("reads well", async () => {
    const { page, problems, context } = await openApp({ colorScheme: "dark" });
    await loadSample(page);
    await addBriefingData(page);
    await page.goto(`${appUrl()}#/events/e-c4l/brief`);
    const priya = page.locator("[data-testid=brief-person][data-contact-id=c-priya]");
    await priya.waitFor();
    await priya.locator("[data-testid=brief-open][data-waiting=true]").scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, "events-11-briefing-dark.png"), animations: "disabled" });
    await page.getByTestId("brief-likely").scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, "events-12-briefing-likely-dark.png"), animations: "disabled" });
    await assertClean(page, problems);
    await context.close();
  });
});

describe("an empty briefing", () => {
  test("explains what to do", async () => {
    const { page, problems, context } = await openApp();
    await loadSample(page);
    const event = await invoke(page, "save_event", { draft: { name: "Library camp", kind: "meetup", starts_on: "2031-05-04", location: "online" } });
    await page.goto(`${appUrl()}#/events/${event.id}/brief`);
    const empty = page.getByTestId("brief-empty");
    await empty.waitFor();
    assert.match(await empty.innerText(), /Add the attendees you know about/);
    await empty.getByRole("link", { name: "Match attendee list" }).click();
    await page.getByTestId("attendees-page").waitFor();
    await assertClean(page, problems);
    await context.close();
  });
});

describe("on a phone-sized window", () => {
  test("the briefing is one readable column with large buttons and no sideways scrolling", async () => {
    const { page, problems, context } = await openApp({ viewport: { width: 390, height: 800 } });
    await loadSample(page);
    await addBriefingData(page);
    await page.goto(`${appUrl()}#/events/e-c4l/brief`);
    await page.getByTestId("brief-person").first().waitFor();
    const widths = await page.evaluate(() => {
      const pane = document.querySelector(".single-pane");
      return { doc: document.documentElement.scrollWidth, inner: window.innerWidth, pane: pane.scrollWidth, paneClient: pane.clientWidth };
    });
    assert.ok(widths.doc <= widths.inner, `page ${widths.doc}px wide in a ${widths.inner}px window`);
    assert.ok(widths.pane <= widths.paneClient, `briefing ${widths.pane}px wide in a ${widths.paneClient}px pane`);
    const heights = await page.locator(".brief-buttons .button").evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
    assert.ok(heights.every((h) => h >= 44), `tap targets ${heights.join(", ")}`);
    await page.screenshot({ path: join(shots, "events-05-briefing-phone.png"), animations: "disabled" });
    await page.locator("[data-testid=brief-person][data-contact-id=c-priya]").scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, "events-06-briefing-phone-person.png"), animations: "disabled" });

    for (const [route, testid] of [
      ["attendees", "attendees-page"],
      ["met", "met-page"],
    ]) {
      await page.goto(`${appUrl()}#/events/e-c4l/${route}`);
      await page.getByTestId(testid).waitFor();
      const w = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth, document.querySelector(".single-pane").scrollWidth, document.querySelector(".single-pane").clientWidth]);
      assert.ok(w[0] <= w[1] && w[2] <= w[3], `${route}: ${w.join(", ")}`);
      await page.screenshot({ path: join(shots, `events-07-${route}-phone.png`), animations: "disabled" });
    }
    await assertClean(page, problems);
    await context.close();
  });
});

describe("matching an attendee list", () => {
  let page;
  let problems;
  let context;

  before(async () => {
    ({ page, problems, context } = await openApp());
    await loadSample(page);
  });
  after(async () => {
    await context.close();
  });

  test("a file is read into the list, by typed path or the open dialog", async () => {
    await page.getByTestId("nav-events").click();
    await page.getByRole("link", { name: /#critlib chat/ }).click();
    await page.getByTestId("event-attendees-link").click();
    await page.getByTestId("attendees-page").waitFor();

    await page.getByTestId("attendee-path-input").fill("/home/me/missing.csv");
    await page.getByTestId("attendee-path-load").click();
    await page.getByTestId("attendee-path-error").filter({ hasText: "/home/me/missing.csv: No such file" }).waitFor();

    await page.evaluate(() => {
      window.__kithFakeEvents.files["/home/me/list.csv"] = "Name,Email\nAmara Nwosu,amara@example.edu\n";
      window.__kithFakeEvents.chosenFile = "/home/me/list.csv";
    });
    await page.getByTestId("attendee-choose-file").click();
    await page.waitForFunction(() => document.querySelector("[data-testid=attendee-text]").value.includes("Amara Nwosu"));
    assert.equal(await page.getByTestId("attendee-path-input").inputValue(), "/home/me/list.csv");
    assert.deepEqual(await lastCall(page, "choose_file"), { purpose: "attendee_list" });
    assert.equal(await page.getByTestId("attendee-path-error").count(), 0);
  });

  test("groups a pasted list into certain, possible and unmatched entries", async () => {
    await page.getByTestId("attendee-text").fill(
      ["Rosa Delgado <rosa.delgado@example.org>", "@tomas_reads", "Wen Zhao", "Priya Ramen", "Ana Lima <ana@example.org> @ana@glammr.us", HOSTILE].join("\n"),
    );
    await page.getByTestId("attendee-match-button").click();
    await page.getByTestId("match-certain").waitFor();
    const hows = (id) => page.getByTestId(id).getByTestId("match-row").evaluateAll((els) => els.map((e) => e.dataset.how));
    assert.deepEqual(await hows("match-certain"), ["email", "handle", "name"]);
    assert.deepEqual(await hows("match-possible"), ["possible"]);
    assert.deepEqual(await hows("match-none"), ["none", "none"]);
    const checked = (id) => page.getByTestId(id).getByTestId("match-check").evaluateAll((els) => els.map((e) => e.checked));
    assert.deepEqual(await checked("match-certain"), [true, true, true]);
    assert.deepEqual(await checked("match-possible"), [false]);
    assert.match(await page.getByTestId("match-possible").innerText(), /Is this Priya Raman\?/);
    assert.match(await page.getByTestId("match-possible").innerText(), /on the list/);
    assert.match(await page.getByTestId("match-none").innerText(), new RegExp(HOSTILE.replace(/[()]/g, "\\$&")));
    assert.equal(await page.locator("img").count(), 0);
    assert.match(await page.getByTestId("add-attendees-button").innerText(), /Add 3 to the event/);
    await page.getByTestId("match-certain").scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, "events-08-attendees-matched.png"), animations: "disabled" });
  });

  test("an unmatched entry becomes a new contact, ticked", async () => {
    const ana = page.getByTestId("match-none").getByTestId("match-row").first();
    await ana.getByTestId("match-add-contact").click();
    await page.getByTestId("match-none").getByTestId("match-check").first().waitFor();
    const draft = (await lastCall(page, "save_contact")).draft;
    assert.deepEqual(draft, {
      name: "Ana Lima",
      handles: [
        { platform: "email", value: "ana@example.org" },
        { platform: "mastodon", value: "@ana@glammr.us" },
      ],
    });
    assert.equal(await page.getByTestId("match-none").getByTestId("match-check").first().isChecked(), true);
    assert.match(await ana.innerText(), /New contact Ana Lima/);
  });

  test("adding the ticked people updates the event's attendees", async () => {
    await page.getByTestId("match-possible").getByTestId("match-check").check();
    assert.match(await page.getByTestId("add-attendees-button").innerText(), /Add 5 to the event/);
    await page.getByTestId("add-attendees-button").click();
    const result = page.getByTestId("attendees-result");
    await result.waitFor();
    assert.match(await result.innerText(), /4 people added; 1 was already on the list/);
    const sent = await lastCall(page, "add_attendees");
    assert.equal(sent.eventId, "e-critlib");
    assert.equal(sent.contactIds.length, 5);
    await result.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, "events-09-attendees-added.png"), animations: "disabled" });

    await page.getByTestId("attendees-page").getByRole("link", { name: "#critlib chat: metadata and harm" }).click();
    await page.locator(".event-page").waitFor();
    const names = await page.locator(".event-page .attendees a").allInnerTexts();
    assert.deepEqual(names, ["Amara Nwosu", "Ana Lima", "Priya Raman", "Rosa Delgado", "Tomás Lindgren", "Wen Zhao"]);
  });

  test("nothing broke the content security policy or logged an error", async () => {
    await assertClean(page, problems);
  });
});

describe("who did you meet", () => {
  let page;
  let problems;
  let context;

  before(async () => {
    ({ page, problems, context } = await openApp());
    await loadSample(page);
  });
  after(async () => {
    await context.close();
  });

  test("logs a meeting with attendees and anyone else, visible on their timelines", async () => {
    await page.getByTestId("nav-events").click();
    await page.getByRole("link", { name: /Code4Lib 2026/ }).click();
    await page.getByTestId("event-met-link").click();
    await page.getByTestId("met-page").waitFor();
    const rows = await page.getByTestId("met-row").evaluateAll((els) => els.map((e) => e.dataset.contactId));
    assert.deepEqual(rows, ["c-priya", "c-rosa", "c-wen"], "the attendees, by name");
    const button = page.getByTestId("met-log-button");
    assert.equal(await button.isDisabled(), true, "nothing to log yet");
    const today = await page.evaluate(() => {
      const d = new Date();
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
    });
    assert.equal(await page.getByTestId("met-date").inputValue(), today, "an upcoming event logs today");

    const rosa = page.locator("[data-testid=met-row][data-contact-id=c-rosa]");
    await rosa.getByTestId("met-note").fill(`Talked serials; ${HOSTILE}`);
    assert.equal(await rosa.getByTestId("met-check").isChecked(), true, "a note ticks the person");
    await page.locator("[data-testid=met-row][data-contact-id=c-wen]").getByTestId("met-check").check();

    await page.getByLabel("Someone else you met").fill("tom");
    await page.locator(".met-picker .suggestion.is-active").waitFor();
    await page.keyboard.press("Enter");
    const tomas = page.locator("[data-testid=met-row][data-contact-id=c-tomas]");
    await tomas.waitFor();
    assert.equal(await tomas.getByTestId("met-check").isChecked(), true);
    await tomas.getByTestId("met-note").fill("Vendor demo rubric, in person at last");
    assert.match(await button.innerText(), /Log 3 meetings/);
    await page.screenshot({ path: join(shots, "events-10-met.png"), animations: "disabled" });

    await button.click();
    await page.getByTestId("toast").filter({ hasText: "Logged 3 meetings at Code4Lib 2026." }).waitFor();
    const sent = await lastCall(page, "log_met");
    assert.equal(sent.eventId, "e-c4l");
    assert.deepEqual(sent.entries, [
      { contact_id: "c-rosa", note: `Talked serials; ${HOSTILE}` },
      { contact_id: "c-wen", note: "" },
      { contact_id: "c-tomas", note: "Vendor demo rubric, in person at last" },
    ]);
    assert.ok(Math.abs(Date.parse(sent.at) - Date.now()) < 60_000, "today's meetings are logged now");
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=met-check]:checked").length === 0);

    await page.goto(`${appUrl()}#/contacts/c-rosa`);
    const first = page.getByTestId("timeline-entry").first();
    await first.waitFor();
    await page.waitForFunction((h) => document.querySelector("[data-testid=timeline-entry]")?.textContent.includes(h), HOSTILE);
    assert.match(await first.innerText(), /In person/);
    assert.equal(await first.locator(".entry-text").textContent(), `Talked serials; ${HOSTILE}`);
    assert.equal(await page.locator("img").count(), 0);
    await page.goto(`${appUrl()}#/contacts/c-tomas`);
    await page.getByTestId("timeline-entry").first().filter({ hasText: "Vendor demo rubric" }).waitFor();
    assert.match(await page.locator(".contact-page").innerText(), /Code4Lib 2026/, "now at the event");
  });

  test("a past event defaults to its last day, and logs at midday then", async () => {
    await page.goto(`${appUrl()}#/events/e-critlib/met`);
    await page.getByTestId("met-page").waitFor();
    const ends = await page.evaluate(() => new Date(Date.now() - 30 * 24 * 3600 * 1000).toISOString().slice(0, 10));
    assert.equal(await page.getByTestId("met-date").inputValue(), ends);
    await page.locator("[data-testid=met-row][data-contact-id=c-amara]").getByTestId("met-check").check();
    await page.getByTestId("met-log-button").click();
    await page.getByTestId("toast").filter({ hasText: "Logged 1 meeting at" }).waitFor();
    const sent = await lastCall(page, "log_met");
    const at = await page.evaluate((iso) => {
      const d = new Date(iso);
      return [d.getHours(), `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`];
    }, sent.at);
    assert.deepEqual(at, [12, ends]);
  });

  test("nothing broke the content security policy or logged an error", async () => {
    await assertClean(page, problems);
  });
});
