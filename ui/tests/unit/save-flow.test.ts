import { describe, expect, it } from "vitest";
import { SaveFlow, type SaveHost } from "../../src/views/save-flow";

function host(): SaveHost & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    invalidate: () => log.push("draw"),
    afterRender: () => log.push("focus"),
    showError: (e) => log.push(`error: ${String(e)}`),
    dataChanged: async () => {
      log.push("refresh");
    },
  };
}

describe("SaveFlow", () => {
  it("writes, moves on, refreshes, then runs what follows the refresh", async () => {
    const h = host();
    const flow = new SaveFlow(() => h);
    const saved = await flow.save({ name: "Ana" }, async (d) => `saved ${d.name}`, {
      then: (s) => h.log.push(`then ${s}`),
      refreshed: (s) => h.log.push(`refreshed ${s}`),
    });
    expect(saved).toBe(true);
    expect(h.log).toEqual(["draw", "then saved Ana", "refresh", "refreshed saved Ana", "draw"]);
    expect(flow.saving).toBe(false);
  });

  it("writes nothing for a draft that did not validate, and focuses the field", async () => {
    const h = host();
    let writes = 0;
    const saved = await new SaveFlow(() => h).save(null, async () => writes++, { invalid: "[aria-invalid=true]" });
    expect(saved).toBe(false);
    expect(writes).toBe(0);
    expect(h.log).toEqual(["draw", "focus"]);
  });

  it("ignores a second press while saving, and shows a failure without refreshing", async () => {
    const h = host();
    const flow = new SaveFlow(() => h);
    let release: () => void = () => {};
    const first = flow.save({}, () => new Promise<void>((r) => (release = r)));
    expect(flow.saving).toBe(true);
    expect(await flow.save({}, async () => undefined)).toBe(false);
    release();
    await first;
    const failed = await flow.save({}, async () => {
      throw "disk full";
    });
    expect(failed).toBe(false);
    expect(h.log.filter((l) => l === "refresh")).toHaveLength(1);
    expect(h.log).toContain("error: disk full");
  });

  it("hands a failure to a form that shows it itself, and leaves the banner alone", async () => {
    const h = host();
    const shown: string[] = [];
    const saved = await new SaveFlow(() => h).save(
      {},
      async () => {
        throw { code: "wrong_passphrase", message: "that passphrase does not open this store" };
      },
      { failed: (e) => shown.push(`${e.code}: ${e.message}`) },
    );
    expect(saved).toBe(false);
    expect(shown).toEqual(["wrong_passphrase: that passphrase does not open this store"]);
    expect(h.log.some((l) => l.startsWith("error"))).toBe(false);
    expect(h.log).not.toContain("refresh");
  });
});
