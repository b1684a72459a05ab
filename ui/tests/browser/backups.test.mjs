// Backups against the fake backend: a copy now, restoring it after saying what it holds, and a
// file that is not a copy refused with its reason.

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { assertClean, openApp, shots, useBrowser } from "./harness.mjs";

useBrowser();

describe("backups", () => {
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

  test("a copy made now can be restored, and the present is kept first", async () => {
    await page.getByTestId("backups-button").click();
    const dialog = page.getByTestId("backups-dialog");
    await dialog.waitFor();
    await page.getByTestId("backups-empty").waitFor();
    await page.getByTestId("backup-now").click();
    await page.getByTestId("backup-done").waitFor();
    assert.match(await page.getByTestId("backup-done").innerText(), /Made a copy: kith-manual-/);
    assert.equal(await page.getByTestId("backup-row").count(), 1);
    await page.keyboard.press("Escape");

    // A new contact after the copy: the restore must take it away again.
    await page.getByTestId("new-contact-button").click();
    await page.getByTestId("contact-name-input").fill("Added After The Copy");
    await page.getByTestId("contact-save").click();
    await page.waitForFunction(() => document.querySelector(".nav-link")?.textContent?.includes("6"));

    await page.getByTestId("backups-button").click();
    await page.getByTestId("backup-restore").first().click();
    const confirm = page.getByTestId("confirm-dialog");
    await confirm.waitFor();
    const question = await confirm.innerText();
    assert.match(question, /This copy holds 5 contacts/);
    assert.match(question, /Your store now holds 6 contacts/);
    await page.screenshot({ path: join(shots, "backups-restore-question.png"), animations: "disabled" });
    await page.getByTestId("confirm-yes").click();
    await page.getByTestId("backup-done").filter({ hasText: "Restored" }).waitFor();
    assert.match(await page.getByTestId("backup-done").innerText(), /now holds 5 contacts.*kept as kith-before-restore-/s);
    assert.equal(await page.getByTestId("backup-row").count(), 2, "the before-restore copy is listed");
    await page.keyboard.press("Escape");
    await page.waitForFunction(() => document.querySelector(".nav-link")?.textContent?.includes("5"));
    assert.equal(await page.getByText("Added After The Copy").count(), 0);
    assert.equal(await page.getByTestId("error-banner").count(), 0, "no error about the page that was open");
  });

  test("a file that is not a backup is refused with the reason, and nothing changes", async () => {
    await page.getByTestId("backups-button").click();
    await page.getByTestId("backup-path").fill("/home/me/holiday.jpg");
    await page.getByTestId("backup-path-restore").click();
    await page.getByTestId("backup-error").waitFor();
    assert.match(await page.getByTestId("backup-error").innerText(), /holiday\.jpg: this file is not a readable Kith store/);
    assert.equal(await page.getByTestId("confirm-dialog").count(), 0, "no question for a file that cannot be restored");
    await page.screenshot({ path: join(shots, "backups-dialog.png"), animations: "disabled" });
    await page.keyboard.press("Escape");
    await assertClean(page, problems);
  });
});

describe("how many backups are kept", () => {
  test("the number is shown, saved, and refused outside 1 to 365", async () => {
    const { page, problems, context } = await openApp();
    try {
      await page.getByTestId("backups-button").click();
      const keep = page.getByTestId("backup-keep");
      await page.waitForFunction(() => document.querySelector("[data-testid=backup-keep]")?.value === "7");
      assert.equal(await page.getByTestId("backup-keep-save").isDisabled(), true, "nothing to save yet");
      await keep.fill("0");
      await page.getByTestId("backup-keep-save").click();
      assert.match(await page.getByTestId("backup-error").innerText(), /between 1 and 365/);
      assert.equal(await page.evaluate(() => window.__kithFake.calls.filter((c) => c.cmd === "set_backup_keep").length), 0);
      await keep.fill("3");
      await page.getByTestId("backup-keep-save").click();
      await page.getByTestId("backup-done").filter({ hasText: "Keeping the last 3" }).waitFor();
      const sent = await page.evaluate(() => window.__kithFake.calls.filter((c) => c.cmd === "set_backup_keep").map((c) => c.args.keep));
      assert.deepEqual(sent, [3]);
      await page.keyboard.press("Escape");
      await assertClean(page, problems);
    } finally {
      await context.close();
    }
  });
});
