// A contact's timeline of twenty thousand interactions in Debian's Chromium against the fake
// backend (see harness.mjs and fake-timeline.ts): read to the end a page at a time, with only
// the rows near the viewport in the DOM, laid out without overlaps or gaps, and an address
// that points at an old entry still scrolls to it.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { appUrl, assertClean, HOSTILE, openApp, shots, useBrowser } from "./harness.mjs";

useBrowser();

const COUNT = 20_000;
const PAGE = 200;
/** The rendered rows: the viewport's, the overscan on each side, and a focused row. */
const MAX_ROWS = 40;
const entryId = (k) => `i-long-${String(k).padStart(6, "0")}`;

/** What the rendered timeline rows are and where they are, in list order. */
const rowsNow = (page) =>
  page.evaluate(() => {
    const pane = document.querySelector(".detail-pane").getBoundingClientRect();
    return [...document.querySelectorAll("[data-testid=timeline-entry]")].map((el) => {
      const r = el.getBoundingClientRect();
      return {
        id: el.dataset.interactionId,
        pos: Number(el.getAttribute("aria-posinset")),
        size: Number(el.getAttribute("aria-setsize")),
        top: r.top,
        bottom: r.bottom,
        inView: r.bottom > pane.top && r.top < pane.bottom,
      };
    });
  });

/** Lets the pane's scroll events and the repaint they ask for run. */
const frames = (page) =>
  page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(() => r())))));

/** Each row starts where the one before it ends, and they come in order. */
function assertStacked(rows) {
  for (let n = 1; n < rows.length; n++) {
    const [a, b] = [rows[n - 1], rows[n]];
    if (b.pos !== a.pos + 1) continue; // a focused row kept from elsewhere
    assert.ok(Math.abs(b.top - a.bottom) < 1, `row ${b.pos} starts at ${b.top}, where row ${a.pos} ends (${a.bottom})`);
  }
  const positions = rows.map((r) => r.pos);
  assert.deepEqual(positions, [...positions].sort((x, y) => x - y), "rows are in timeline order");
}

describe("a timeline of twenty thousand interactions", () => {
  let page;
  let problems;
  let context;

  before(async () => {
    ({ page, problems, context } = await openApp({ config: { longTimeline: COUNT } }));
    await page.getByTestId("contact-row").first().waitFor();
  });
  after(async () => {
    await context.close();
  });

  test("the first page shows the newest, with only the rows near the viewport in the DOM", async () => {
    await page.getByTestId("contact-row").filter({ hasText: "Lena Longwood" }).click();
    await page.getByTestId("contact-title").filter({ hasText: "Lena Longwood" }).waitFor();
    assert.equal(await page.getByTestId("timeline-count").innerText(), "20000 interactions");
    await page.getByTestId("timeline-entry").first().waitFor();
    const rows = await rowsNow(page);
    assert.equal(rows[0].id, entryId(0), "the newest comes first");
    assert.equal(rows[0].pos, 1);
    assert.ok(rows.every((r) => r.size === COUNT), "each row counts all the contact's interactions");
    assert.ok(rows.length <= MAX_ROWS, `${rows.length} rows rendered of the first ${PAGE}`);
    assertStacked(rows);
    assert.match(await page.getByTestId("timeline-more").innerText(), /19800 more/);
  });

  test("scrolling to the end loads every page once and shows the oldest", async () => {
    const started = Date.now();
    // Each time the end comes near, the next page is asked for; scroll down until none is left.
    await page.waitForFunction(
      () => {
        const pane = document.querySelector(".detail-pane");
        pane.scrollTop = pane.scrollHeight;
        return document.querySelector("[data-testid=timeline-more]") === null;
      },
      null,
      { polling: 50, timeout: 120_000 },
    );
    const pages = await page.evaluate(() => window.__kithFake.calls.filter((c) => c.cmd === "contact_timeline").map((c) => c.args.after));
    assert.equal(pages.length, COUNT / PAGE - 1, "every older page, each asked for once");
    assert.equal(new Set(pages).size, pages.length);
    // Measuring the rows near the end settles the list's height; stay at the bottom meanwhile.
    await page.waitForFunction(
      (id) => {
        const pane = document.querySelector(".detail-pane");
        pane.scrollTop = pane.scrollHeight;
        const last = [...document.querySelectorAll("[data-testid=timeline-entry]")].find((el) => el.dataset.interactionId === id);
        if (!last) return false;
        const r = last.getBoundingClientRect();
        const p = pane.getBoundingClientRect();
        return r.top >= p.top && r.bottom <= p.bottom;
      },
      entryId(COUNT - 1),
      { polling: 100, timeout: 10_000 },
    );
    const rows = await rowsNow(page);
    assert.ok(rows.length <= MAX_ROWS, `${rows.length} rows in the DOM with all ${COUNT} loaded`);
    const last = rows[rows.length - 1];
    assert.equal(last.id, entryId(COUNT - 1), "the oldest is the last row");
    assert.equal(last.pos, COUNT);
    assert.ok(last.inView, "the oldest is in view");
    assertStacked(rows);
    const oldest = page.locator(`[data-interaction-id="${entryId(COUNT - 1)}"]`);
    assert.equal(await oldest.locator(".entry-text").textContent(), `The first of all. ${HOSTILE}`, "hostile text is shown as text");
    assert.equal(await page.locator(".timeline img").count(), 0, "no element was made from it");
    await page.screenshot({ path: join(shots, "timeline-01-end.png"), animations: "disabled" });
    console.log(`# read ${COUNT} interactions to the end in ${Date.now() - started} ms`);
  });

  test("scrolling back up keeps the rows few, stacked, and those in view still", async () => {
    // A tall window, so a row stays in view while the pane scrolls past rows never measured.
    await page.setViewportSize({ width: 1280, height: 1400 });
    for (const fraction of [0.75, 0.5, 0.1]) {
      await page.evaluate((f) => {
        const pane = document.querySelector(".detail-pane");
        pane.scrollTop = pane.scrollHeight * f;
      }, fraction);
      await frames(page);
      const rows = await rowsNow(page);
      assert.ok(rows.length <= MAX_ROWS, `${rows.length} rows at ${fraction} of the way`);
      assert.ok(rows.some((r) => r.inView), `rows are in view at ${fraction} of the way`);
      assertStacked(rows);
      // Up by more than the rows rendered above the viewport: the rows that come into view are
      // measured, and those the reader was looking at must not jump meanwhile.
      const seen = rows.find((r) => r.inView && r.top >= 0);
      await page.evaluate(() => {
        document.querySelector(".detail-pane").scrollTop -= 1000;
      });
      await frames(page);
      const after = await rowsNow(page);
      const moved = after.find((r) => r.id === seen.id);
      assert.ok(moved, "the row is still rendered");
      assert.ok(Math.abs(moved.top - seen.top - 1000) < 1, `scrolling up 1000 px moved row ${seen.pos} by ${moved.top - seen.top} px`);
      assert.ok(after.length <= MAX_ROWS);
      assertStacked(after);
    }
    await page.setViewportSize({ width: 1280, height: 820 });
    await assertClean(page, problems);
  });

  test("an address pointing at an entry already loaded scrolls to it", async () => {
    const k = 4321;
    await page.evaluate((id) => {
      location.hash = `#/contacts/c-long/timeline/${id}`;
    }, entryId(k));
    const highlighted = page.locator(".timeline-entry.is-highlighted");
    await highlighted.waitFor();
    assert.equal(await highlighted.getAttribute("data-interaction-id"), entryId(k));
    assert.equal(await highlighted.getAttribute("aria-posinset"), String(k + 1));
    assert.equal(await highlighted.evaluate((el) => el === document.activeElement), true, "focus is on the entry");
    const rows = await rowsNow(page);
    assert.ok(rows.find((r) => r.id === entryId(k)).inView, "the entry is in view");
    assert.ok(rows.length <= MAX_ROWS);
    assertStacked(rows);
    await page.screenshot({ path: join(shots, "timeline-02-address.png"), animations: "disabled" });
  });

  test("the focused entry stays in the DOM when the pane scrolls far from it", async () => {
    await page.evaluate(() => {
      document.querySelector(".detail-pane").scrollTop = 0;
    });
    await frames(page);
    const rows = await rowsNow(page);
    assert.ok(rows.some((r) => r.id === entryId(4321)), "the focused entry is still rendered");
    assert.equal(rows[0].pos, 1, "and the newest are rendered at the top");
    assert.ok(rows.length <= MAX_ROWS);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-interaction-id")), entryId(4321), "focus is where it was");
    // Tab goes on from the focused entry: to its Edit button.
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("aria-label")), "Edit this interaction");
    assert.equal(
      await page.evaluate(() => document.activeElement?.closest("[data-testid=timeline-entry]")?.getAttribute("data-interaction-id")),
      entryId(4321),
    );
  });

  test("an address pointing at an entry on a page not loaded yet loads up to it and scrolls to it", async () => {
    // A fresh window opened at the address, as from a link elsewhere.
    await context.close();
    ({ page, problems, context } = await openApp({ config: { longTimeline: COUNT } }));
    const k = 15_000;
    await page.goto(`${appUrl()}#/contacts/c-long/timeline/${entryId(k)}`);
    const highlighted = page.locator(".timeline-entry.is-highlighted");
    await highlighted.waitFor({ timeout: 60_000 });
    assert.equal(await highlighted.getAttribute("data-interaction-id"), entryId(k));
    assert.equal(await highlighted.evaluate((el) => el === document.activeElement), true, "focus is on the entry");
    const pages = await page.evaluate(() => window.__kithFake.calls.filter((c) => c.cmd === "contact_timeline").length);
    assert.equal(pages, Math.floor(k / PAGE), "the pages up to the entry's, and no more");
    const rows = await rowsNow(page);
    assert.ok(rows.find((r) => r.id === entryId(k)).inView, "the entry is in view");
    assert.ok(rows.length <= MAX_ROWS);
    assertStacked(rows);
    await page.screenshot({ path: join(shots, "timeline-03-old-address.png"), animations: "disabled" });
  });

  test("editing an entry far down keeps it in view; deleting the newest updates the count", async () => {
    const k = 15_000;
    const entry = page.locator(`[data-interaction-id="${entryId(k)}"]`);
    await entry.getByRole("button", { name: "Edit this interaction" }).click();
    await page.getByTestId("interaction-text").fill(`Edited far down. ${HOSTILE}`);
    await page.getByTestId("interaction-save").click();
    await page.getByTestId("interaction-dialog").waitFor({ state: "detached" });
    const saved = await page.evaluate(() => window.__kithFake.calls.filter((c) => c.cmd === "save_interaction").at(-1).args.draft);
    assert.equal(saved.id, entryId(k));
    // The address still points at the entry: after the refresh it is shown again, edited.
    await page.waitForFunction(
      (text) => document.querySelector(".timeline-entry.is-highlighted .entry-text")?.textContent === text,
      `Edited far down. ${HOSTILE}`,
    );
    const rows = await rowsNow(page);
    assert.ok(rows.find((r) => r.id === entryId(k)).inView, "the edited entry is in view");
    assert.ok(rows.length <= MAX_ROWS);
    assertStacked(rows);
    assert.equal(await page.locator(".timeline img").count(), 0);

    await page.evaluate(() => {
      location.hash = "#/contacts/c-long";
    });
    await page.locator(".timeline-entry.is-highlighted").waitFor({ state: "detached" });
    await page.evaluate(() => {
      document.querySelector(".detail-pane").scrollTop = 0;
    });
    await page.locator(`[data-interaction-id="${entryId(0)}"]`).getByRole("button", { name: "Delete this interaction" }).click();
    await page.getByTestId("confirm-yes").click();
    await page.waitForFunction((id) => document.querySelector("[data-testid=timeline-entry]")?.dataset.interactionId === id, entryId(1));
    assert.equal(await page.getByTestId("timeline-count").innerText(), `${COUNT - 1} interactions`);
    assert.equal(await page.getByTestId("timeline-entry").first().getAttribute("aria-setsize"), String(COUNT - 1));
    assert.equal(await page.getByTestId("timeline-entry").first().getAttribute("aria-posinset"), "1");
    assertStacked(await rowsNow(page));
    await assertClean(page, problems);
  });

  test("the window narrowed: rows are measured again and stay stacked", async () => {
    await page.setViewportSize({ width: 900, height: 820 });
    await frames(page);
    const rows = await rowsNow(page);
    assert.ok(rows.length <= MAX_ROWS);
    assertStacked(rows);
    await page.screenshot({ path: join(shots, "timeline-04-narrow.png"), animations: "disabled" });
    await page.goto(`${appUrl()}#/contacts`);
  });
});
