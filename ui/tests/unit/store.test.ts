import { describe, expect, it } from "vitest";
import { Store } from "../../src/state/store";

interface S {
  count: number;
  name: string;
  list: string[];
}

const initial = (): S => ({ count: 0, name: "a", list: [] });

describe("Store", () => {
  it("sets the given fields and keeps the others", () => {
    const store = new Store(initial());
    store.update({ count: 2 });
    expect(store.state).toEqual({ count: 2, name: "a", list: [] });
  });

  it("tells subscribers the state now and before", () => {
    const store = new Store(initial());
    const heard: Array<[number, number]> = [];
    store.subscribe((now, before) => heard.push([now.count, before.count]));
    store.update({ count: 1 });
    store.update((s) => ({ count: s.count + 1 }));
    expect(heard).toEqual([
      [1, 0],
      [2, 1],
    ]);
  });

  it("tells no one when nothing took a new value", () => {
    const store = new Store(initial());
    let calls = 0;
    store.subscribe(() => calls++);
    expect(store.update({ count: 0, name: "a" })).toBe(false);
    expect(store.update({})).toBe(false);
    expect(calls).toBe(0);
    expect(store.update({ name: "b" })).toBe(true);
    expect(calls).toBe(1);
  });

  it("compares by identity: a new list is a change", () => {
    const store = new Store(initial());
    let calls = 0;
    store.subscribe(() => calls++);
    store.update({ list: [] });
    expect(calls).toBe(1);
  });

  it("stops telling a listener once it unsubscribed", () => {
    const store = new Store(initial());
    let calls = 0;
    const stop = store.subscribe(() => calls++);
    store.update({ count: 1 });
    stop();
    store.update({ count: 2 });
    expect(calls).toBe(1);
  });

  it("keeps the state frozen, so it can only change through update", () => {
    const store = new Store(initial());
    expect(Object.isFrozen(store.state)).toBe(true);
    expect(() => {
      (store.state as S).count = 5;
    }).toThrow();
    store.update({ count: 1 });
    expect(Object.isFrozen(store.state)).toBe(true);
  });
});
