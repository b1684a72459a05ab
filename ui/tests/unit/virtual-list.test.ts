import { describe, expect, test } from "vitest";
import { computeRange, moveIndex, scrollTopToReveal } from "../../src/virtual-list";

const base = { rowHeight: 68, viewportHeight: 680, overscan: 0 };

describe("visible range", () => {
  test("an empty list renders nothing", () => {
    expect(computeRange({ ...base, scrollTop: 0, count: 0 })).toEqual({ start: 0, end: 0, offsetY: 0, totalHeight: 0 });
  });

  test("at the top, exactly the rows that fit", () => {
    expect(computeRange({ ...base, scrollTop: 0, count: 50_000 })).toEqual({
      start: 0,
      end: 10,
      offsetY: 0,
      totalHeight: 3_400_000,
    });
  });

  test("a part-scrolled row and a part-visible last row are both rendered", () => {
    const r = computeRange({ ...base, scrollTop: 100, count: 50_000 });
    expect(r.start).toBe(1);
    expect(r.end).toBe(12);
    expect(r.offsetY).toBe(68);
  });

  test("overscan adds rows on both sides, within bounds", () => {
    const r = computeRange({ ...base, overscan: 5, scrollTop: 68 * 1000, count: 50_000 });
    expect([r.start, r.end]).toEqual([995, 1015]);
    const top = computeRange({ ...base, overscan: 5, scrollTop: 0, count: 50_000 });
    expect(top.start).toBe(0);
  });

  test("scrolled to (or past) the end, the last rows and no more", () => {
    const count = 50_000;
    const r = computeRange({ ...base, overscan: 3, scrollTop: 68 * count * 2, count });
    expect(r.end).toBe(count);
    expect(r.start).toBe(count - 10 - 3);
  });

  test("a viewport taller than the list shows the whole list", () => {
    expect(computeRange({ ...base, viewportHeight: 2000, scrollTop: 0, count: 7 })).toMatchObject({ start: 0, end: 7 });
  });

  test("a hidden (zero-height) list still renders its first row", () => {
    expect(computeRange({ ...base, viewportHeight: 0, scrollTop: 0, count: 100 })).toMatchObject({ start: 0, end: 1 });
  });

  test("the rendered window stays small for any position in a huge list", () => {
    for (const scrollTop of [0, 12_345, 1_700_000, 3_399_999]) {
      const r = computeRange({ ...base, overscan: 8, scrollTop, count: 50_000 });
      expect(r.end - r.start).toBeLessThanOrEqual(27);
      expect(r.offsetY).toBe(r.start * 68);
    }
  });
});

describe("revealing a row", () => {
  test("a visible row needs no scrolling", () => {
    expect(scrollTopToReveal(3, 0, 680, 68)).toBeNull();
  });
  test("a row above scrolls to its top", () => {
    expect(scrollTopToReveal(2, 680, 680, 68)).toBe(136);
  });
  test("a row below scrolls just enough to show its bottom", () => {
    expect(scrollTopToReveal(10, 0, 680, 68)).toBe(68);
    expect(scrollTopToReveal(49_999, 0, 680, 68)).toBe(50_000 * 68 - 680);
  });
});

describe("keyboard movement", () => {
  test("arrows step and stop at the ends", () => {
    expect(moveIndex(-1, "ArrowDown", 5, 3)).toBe(0);
    expect(moveIndex(-1, "ArrowUp", 5, 3)).toBe(0);
    expect(moveIndex(2, "ArrowDown", 5, 3)).toBe(3);
    expect(moveIndex(4, "ArrowDown", 5, 3)).toBe(4);
    expect(moveIndex(0, "ArrowUp", 5, 3)).toBe(0);
  });
  test("pages, Home and End", () => {
    expect(moveIndex(0, "PageDown", 50_000, 9)).toBe(9);
    expect(moveIndex(49_995, "PageDown", 50_000, 9)).toBe(49_999);
    expect(moveIndex(4, "PageUp", 50_000, 9)).toBe(0);
    expect(moveIndex(7, "Home", 50_000, 9)).toBe(0);
    expect(moveIndex(7, "End", 50_000, 9)).toBe(49_999);
  });
  test("a selection beyond a list that shrank is pulled back in", () => {
    expect(moveIndex(40, "ArrowUp", 10, 3)).toBe(8);
  });
  test("other keys and empty lists move nothing", () => {
    expect(moveIndex(1, "a", 5, 3)).toBeNull();
    expect(moveIndex(-1, "ArrowDown", 0, 3)).toBeNull();
  });
});
