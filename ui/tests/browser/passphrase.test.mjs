// The passphrase against the fake backend: a locked store shows only the unlock page until the
// right passphrase is typed, and setting one needs matching entries, enough length and the
// acknowledgement that a lost passphrase means lost notes.

import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { assertClean, openApp, shots, useBrowser } from "./harness.mjs";

useBrowser();

describe("passphrase", () => {
  test("a locked store asks for its passphrase, refuses a wrong one, and opens with the right one", async () => {
    const { page, problems, context } = await openApp({ config: { passphrase: "kea in the snow", bulkContacts: 40 } });
    try {
      const unlock = page.getByTestId("unlock");
      await unlock.waitFor();
      assert.equal(await page.getByTestId("contact-row").count(), 0, "nothing of the network shows while locked");
      assert.equal(await page.getByTestId("error-banner").count(), 0, "no error banner, just the unlock page");
      const input = page.getByTestId("unlock-passphrase");
      assert.equal(await input.getAttribute("type"), "password");
      await page.waitForFunction(() => document.activeElement?.getAttribute("data-testid") === "unlock-passphrase");

      await input.fill("kea in the sun");
      await page.keyboard.press("Enter");
      await page.getByTestId("unlock-error").waitFor();
      assert.match(await page.getByTestId("unlock-error").innerText(), /does not open this store/);
      await page.screenshot({ path: join(shots, "unlock-wrong.png"), animations: "disabled" });

      // A file that only looks locked (damaged) can be replaced from here.
      await page.getByTestId("unlock-restore").click();
      await page.getByTestId("backups-dialog").waitFor();
      await page.keyboard.press("Escape");

      await input.fill("kea in the snow");
      await page.getByTestId("unlock-button").click();
      await page.getByTestId("contact-row").first().waitFor();
      assert.equal(await unlock.count(), 0);
      await assertClean(page, problems);
    } finally {
      await context.close();
    }
  });

  test("setting a passphrase needs the warning acknowledged; then it can be changed and removed", async () => {
    const { page, problems, context } = await openApp();
    try {
      await page.getByTestId("passphrase-button").click();
      const dialog = page.getByTestId("passphrase-dialog");
      await dialog.waitFor();
      await page.getByTestId("passphrase-warning").waitFor();
      assert.match(await page.getByTestId("passphrase-warning").innerText(), /A lost passphrase means lost notes/);

      await page.getByTestId("passphrase-next").fill("short");
      await page.getByTestId("passphrase-again").fill("short");
      await page.getByTestId("passphrase-set").click();
      assert.match(await page.getByTestId("passphrase-error").innerText(), /at least 8 characters/);

      await page.getByTestId("passphrase-next").fill("tuatara at dawn");
      await page.getByTestId("passphrase-again").fill("tuatara at dusk");
      await page.getByTestId("passphrase-set").click();
      assert.match(await page.getByTestId("passphrase-error").innerText(), /differ/);

      await page.getByTestId("passphrase-again").fill("tuatara at dawn");
      await page.getByTestId("passphrase-set").click();
      assert.match(await page.getByTestId("passphrase-error").innerText(), /cannot be recovered/);
      assert.equal(
        (await page.evaluate(() => window.__kithFake.calls.filter((c) => c.cmd === "change_passphrase").length)),
        0,
        "nothing sent before the box is ticked",
      );
      await page.screenshot({ path: join(shots, "passphrase-set.png"), animations: "disabled" });

      await page.getByTestId("passphrase-understood").check();
      await page.getByTestId("passphrase-set").click();
      await page.getByTestId("passphrase-done").waitFor();
      assert.match(await page.getByTestId("passphrase-done").innerText(), /Locked: the store and 2 backups are encrypted/);
      assert.match(await page.getByTestId("passphrase-state").innerText(), /are encrypted with a passphrase/);

      await page.getByTestId("passphrase-current").fill("wrong one");
      await page.getByTestId("passphrase-next").fill("kea in the snow");
      await page.getByTestId("passphrase-again").fill("kea in the snow");
      await page.getByTestId("passphrase-change").click();
      await page.getByTestId("passphrase-error").waitFor();
      assert.match(await page.getByTestId("passphrase-error").innerText(), /current passphrase is not right/);

      await page.getByTestId("passphrase-current").fill("tuatara at dawn");
      await page.getByTestId("passphrase-next").fill("kea in the snow");
      await page.getByTestId("passphrase-again").fill("kea in the snow");
      await page.getByTestId("passphrase-change").click();
      await page.getByTestId("passphrase-done").filter({ hasText: "new passphrase" }).waitFor();

      await page.getByTestId("passphrase-current").fill("kea in the snow");
      await page.getByTestId("passphrase-remove").click();
      await page.getByTestId("confirm-dialog").waitFor();
      await page.getByTestId("confirm-yes").click();
      await page.getByTestId("passphrase-done").filter({ hasText: "plain files again" }).waitFor();
      assert.match(await page.getByTestId("passphrase-state").innerText(), /not encrypted/);
      await page.keyboard.press("Escape");
      await assertClean(page, problems);
    } finally {
      await context.close();
    }
  });
});
