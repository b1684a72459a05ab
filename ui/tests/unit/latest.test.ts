import { describe, expect, it } from "vitest";
import { Latest } from "../../src/latest";

describe("Latest", () => {
  it("keeps only the last request current", () => {
    const latest = new Latest();
    const first = latest.begin();
    expect(first.current()).toBe(true);
    const second = latest.begin();
    expect(first.current()).toBe(false);
    expect(second.current()).toBe(true);
  });

  it("lets work continue the running request until another begins", () => {
    const latest = new Latest();
    latest.begin();
    const more = latest.now();
    expect(more.current()).toBe(true);
    latest.begin();
    expect(more.current()).toBe(false);
  });

  it("overtakes everything on cancel", () => {
    const latest = new Latest();
    const running = latest.begin();
    latest.cancel();
    expect(running.current()).toBe(false);
  });

  it("keeps separate kinds of request apart", () => {
    const list = new Latest();
    const page = new Latest();
    const a = list.begin();
    page.begin();
    expect(a.current()).toBe(true);
  });
});
