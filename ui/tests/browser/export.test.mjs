// The export dialog against the fake backend: formats, who, the private switch, and asking
// before anything on disk is replaced.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { assertClean, lastCall, openApp, shots, useBrowser } from "./harness.mjs";

useBrowser();

const written = (page) => page.evaluate(() => window.__kithFakeDisk.written);

describe("export", () => {
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

  test("notes for everyone leave private data out and say so", async () => {
    await page.getByTestId("export-button").click();
    const dialog = page.getByTestId("export-dialog");
    await dialog.waitFor();
    assert.equal(await page.getByTestId("export-include-private").isChecked(), false, "private data is off by default");
    await page.getByTestId("export-path").fill("/home/me/kith-notes");
    await page.screenshot({ path: join(shots, "export-dialog.png"), animations: "disabled" });
    await page.getByTestId("export-run").click();
    const result = page.getByTestId("export-result");
    await result.waitFor();
    const text = await result.innerText();
    assert.match(text, /Wrote 5 notes \(5 contacts\) to \/home\/me\/kith-notes/);
    assert.match(text, /Left out 1 private note and \d+ private interactions/);
    const [req] = await written(page);
    assert.equal(req.kind, "markdown");
    assert.deepEqual(req.scope, { kind: "everyone" });
    assert.equal(req.options.include_private, false);
    assert.equal(req.overwrite, false);
    await page.getByTestId("export-close").click();
    await dialog.waitFor({ state: "detached" });
  });

  test("exporting over existing notes asks first, and No writes nothing", async () => {
    await page.getByTestId("export-button").click();
    await page.getByTestId("export-path").fill("/home/me/kith-notes");
    await page.getByTestId("export-run").click();
    const confirm = page.getByTestId("confirm-dialog");
    await confirm.waitFor();
    assert.match(await confirm.innerText(), /already exists \(and 4 more files\)/);
    await confirm.getByRole("button", { name: "Cancel" }).click();
    await page.getByTestId("export-error").waitFor();
    assert.match(await page.getByTestId("export-error").innerText(), /Nothing was written/);
    assert.equal((await written(page)).length, 1, "nothing more was written");

    await page.getByTestId("export-run").click();
    await confirm.waitFor();
    await page.getByTestId("confirm-yes").click();
    await page.getByTestId("export-result").waitFor();
    const all = await written(page);
    assert.equal(all.length, 2);
    assert.equal(all[1].overwrite, true, "replaced only after the yes");
    await page.getByTestId("export-close").click();
  });

  test("one person's vCard, with private data only after the switch", async () => {
    await page.getByTestId("contact-row").filter({ hasText: "Rosa Delgado" }).click();
    await page.getByTestId("export-contact-button").click();
    await page.getByTestId("export-dialog").waitFor();
    await page.getByTestId("export-format").getByText("Address book (vCard)").click();
    await page.getByTestId("export-include-private").check();
    await page.getByTestId("export-path").fill("/home/me/rosa.vcf");
    await page.getByTestId("export-run").click();
    await page.getByTestId("export-result").waitFor();
    assert.match(await page.getByTestId("export-result").innerText(), /Exported 1 contact to \/home\/me\/rosa\.vcf\.$/m);
    const req = (await lastCall(page, "export_data")).request;
    assert.equal(req.kind, "vcard");
    assert.deepEqual(req.scope, { kind: "contacts", ids: ["c-rosa"] });
    assert.equal(req.options.include_private, true);
    await page.getByTestId("export-close").click();
  });

  test("a calendar leaves long-overdue to-dos out unless the switch is on", async () => {
    await page.getByTestId("export-button").click();
    await page.getByTestId("export-dialog").waitFor();
    assert.equal(await page.getByTestId("export-include-overdue").count(), 0, "no overdue switch for notes");
    await page.getByTestId("export-format").getByText("Calendar (iCalendar)").click();
    const overdue = page.getByTestId("export-include-overdue");
    assert.equal(await overdue.isChecked(), false, "off by default");
    const label = page.getByLabel(/Include overdue to-dos \(due more than 30 days ago\)/);
    assert.equal(await label.count(), 1, "the switch is labelled");
    await page.getByTestId("export-path").fill("/home/me/kith-calendar.ics");
    await page.getByTestId("export-run").click();
    await page.getByTestId("export-result").waitFor();
    let req = (await lastCall(page, "export_data")).request;
    assert.equal(req.kind, "ics");
    assert.equal(req.options.include_overdue, false);
    await page.getByRole("button", { name: "Export something else" }).click();
    await label.check();
    await page.getByTestId("export-path").fill("/home/me/kith-all-todos.ics");
    await page.getByTestId("export-run").click();
    await page.getByTestId("export-result").waitFor();
    req = (await lastCall(page, "export_data")).request;
    assert.equal(req.options.include_overdue, true);
    await page.getByTestId("export-close").click();
  });

  test("the archive is always everyone, and a relative path is refused with a reason", async () => {
    await page.getByTestId("export-button").click();
    await page.getByTestId("export-format").getByText("Full archive (JSON)").click();
    assert.equal(await page.getByTestId("export-scope").evaluate((f) => f.disabled), true, "who is fixed for the archive");
    assert.equal(await page.getByTestId("export-include-private").count(), 0, "no private switch: the archive holds everything");
    await page.getByTestId("export-path").fill("kith.json");
    await page.getByTestId("export-run").click();
    await page.getByTestId("export-error").waitFor();
    assert.match(await page.getByTestId("export-error").innerText(), /type a full path/);
    await page.getByTestId("export-path").fill("/home/me/kith.json");
    await page.getByTestId("export-run").click();
    await page.getByTestId("export-result").waitFor();
    assert.match(await page.getByTestId("export-result").innerText(), /Wrote the full archive \(5 contacts\)/);
    await page.getByTestId("export-close").click();
  });

  test("a phone-sized window keeps the dialog inside the screen", async () => {
    await page.setViewportSize({ width: 390, height: 800 });
    await page.getByTestId("export-button").click();
    await page.getByTestId("export-dialog").waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal overflow (${overflow}px)`);
    await page.screenshot({ path: join(shots, "export-dialog-phone.png"), animations: "disabled" });
    await page.keyboard.press("Escape");
    await page.setViewportSize({ width: 1280, height: 820 });
    await assertClean(page, problems);
  });
});
