// After a save the window reads again only the views that show what the save changed: the
// fake backend answers `take_changes` with what its writes changed (see fake-changes.ts), and
// these tests count the commands the window sends after each save.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { assertClean, openApp, useBrowser } from "./harness.mjs";

useBrowser();

/** How many commands the window has sent so far. */
const mark = (page) => page.evaluate(() => window.__kithFake.calls.length);

/** The commands sent after `from`, once the window has been quiet for a while. */
async function sentSince(page, from) {
  let seen = -1;
  for (;;) {
    const now = await mark(page);
    if (now === seen) break;
    seen = now;
    await page.waitForTimeout(400);
  }
  return page.evaluate((n) => window.__kithFake.calls.slice(n).map((c) => c.cmd), from);
}

describe("changes refresh only the views that show them", () => {
  let page;
  let problems;
  let context;

  before(async () => {
    ({ page, problems, context } = await openApp());
    await page.getByTestId("load-demo-button").click();
    await page.getByTestId("contact-row").first().waitFor();
    // The events list is loaded, so it could be read again needlessly.
    await page.getByTestId("nav-events").click();
    await page.getByRole("link", { name: /Code4Lib 2026/ }).waitFor();
  });
  after(async () => {
    await context.close();
  });

  test("logging an interaction reads the contact's page, not the events", async () => {
    await page.getByTestId("nav-contacts").click();
    await page.getByTestId("contact-row").filter({ hasText: "Rosa Delgado" }).click();
    await page.getByTestId("contact-title").waitFor();
    const entries = await page.getByTestId("timeline-entry").count();
    const rosaRow = page.getByTestId("contact-row").filter({ hasText: "Rosa Delgado" });
    const lastBefore = await rosaRow.locator(".row-last").innerText();
    const from = await mark(page);
    await page.getByTestId("log-interaction-button").click();
    await page.getByTestId("interaction-text").fill("Sent Rosa the serials checklist.");
    await page.getByTestId("interaction-save").click();
    await page.waitForFunction((n) => document.querySelectorAll("[data-testid=timeline-entry]").length === n + 1, entries);
    const sent = await sentSince(page, from);
    assert.ok(sent.includes("save_interaction"), sent.join(" "));
    // What shows the interaction: her page, the counts, and the suggestions weighing it.
    for (const cmd of ["take_changes", "get_contact", "stats", "list_suggestions"]) assert.ok(sent.includes(cmd), `${cmd} in ${sent.join(" ")}`);
    // Not what it did not touch.
    for (const cmd of ["list_events", "get_briefing", "list_duplicates"]) assert.ok(!sent.includes(cmd), `no ${cmd} in ${sent.join(" ")}`);
    // The backend's ping after the write finds nothing left: the page is read once.
    assert.equal(sent.filter((c) => c === "get_contact").length, 1, sent.join(" "));
    // Her row in the list moves to the new note from a patch (her row and the list's order),
    // not from a read of every contact.
    assert.ok(sent.includes("contacts_patch"), sent.join(" "));
    assert.ok(!sent.includes("list_contacts"), sent.join(" "));
    const lastAfter = await rosaRow.locator(".row-last").innerText();
    assert.notEqual(lastAfter, lastBefore, "her row shows the new note");
    assert.match(lastAfter, /now|minute|today/i);
  });

  test("dismissing a suggestion reads the suggestions again, and nothing about contacts", async () => {
    await page.getByTestId("nav-suggestions").click();
    const cards = page.getByTestId("suggestion-card");
    await cards.first().waitFor();
    const before = await cards.count();
    const from = await mark(page);
    await cards.first().getByTestId("suggestion-dismiss").click();
    await page.waitForFunction((n) => document.querySelectorAll("[data-testid=suggestion-card]").length === n - 1, before);
    const sent = await sentSince(page, from);
    assert.ok(sent.includes("dismiss_suggestion") && sent.includes("list_suggestions"), sent.join(" "));
    for (const cmd of ["list_contacts", "stats", "list_tags", "list_events"]) {
      assert.ok(!sent.includes(cmd), `no ${cmd} in ${sent.join(" ")}`);
    }
  });

  test("nothing broke", async () => {
    await assertClean(page, problems);
  });
});
