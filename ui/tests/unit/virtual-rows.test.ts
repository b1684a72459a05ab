import { describe, expect, test } from "vitest";
import { anchorRow, keepingAnchor, RowHeights, rowsInView, topToCentre } from "../../src/virtual-rows";

const keys = (n: number, prefix = "r") => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

/** Rows with these heights, none measured. */
function guessed(heights: number[]): RowHeights {
  const rows = new RowHeights();
  rows.setRows(keys(heights.length), (i) => heights[i]!);
  return rows;
}

describe("row heights and offsets", () => {
  test("offsets are the sums of the heights above", () => {
    const rows = guessed([10, 20, 30, 40]);
    expect([0, 1, 2, 3, 4].map((i) => rows.offsetOf(i))).toEqual([0, 10, 30, 60, 100]);
    expect(rows.total).toBe(100);
    expect(rows.offsetOf(-3)).toBe(0);
    expect(rows.offsetOf(99)).toBe(100);
  });

  test("an empty list has no height", () => {
    const rows = guessed([]);
    expect(rows.total).toBe(0);
    expect(rows.indexAt(50)).toBe(0);
    expect(rowsInView(rows, 0, 500, 3)).toEqual({ start: 0, end: 0 });
  });

  test("a guess of nothing still takes a pixel, so every row has a place", () => {
    const rows = guessed([0, -5, 10]);
    expect(rows.total).toBe(12);
  });

  test("the row at a position is the one whose span holds it", () => {
    const rows = guessed([10, 20, 30, 40]);
    expect(rows.indexAt(0)).toBe(0);
    expect(rows.indexAt(9.9)).toBe(0);
    expect(rows.indexAt(10)).toBe(1);
    expect(rows.indexAt(59)).toBe(2);
    expect(rows.indexAt(60)).toBe(3);
    expect(rows.indexAt(-20)).toBe(0);
    expect(rows.indexAt(1000)).toBe(3);
  });

  test("a measurement moves every row below it and none above", () => {
    const rows = guessed([10, 20, 30, 40]);
    expect(rows.offsetOf(4)).toBe(100);
    expect(rows.measure([["r1", 50]])).toBe(true);
    expect([0, 1, 2, 3, 4].map((i) => rows.offsetOf(i))).toEqual([0, 10, 60, 90, 130]);
    expect(rows.isMeasured(1)).toBe(true);
    expect(rows.isMeasured(2)).toBe(false);
  });

  test("measuring the same height again, or a hidden row, changes nothing", () => {
    const rows = guessed([10, 20]);
    expect(rows.measure([["r0", 10]])).toBe(false);
    expect(rows.measure([["r1", 0]])).toBe(false);
    expect(rows.isMeasured(1)).toBe(false);
    expect(rows.measure([["gone", 80]])).toBe(false);
    expect(rows.total).toBe(30);
  });

  test("measured heights follow their rows when rows arrive above or below", () => {
    const rows = guessed([10, 10, 10]);
    rows.measure([["r1", 70]]);
    rows.setRows(["new", "r0", "r1", "r2", "older"], () => 10);
    expect(rows.indexOf("r1")).toBe(2);
    expect(rows.heightOf(2)).toBe(70);
    expect(rows.offsetOf(3)).toBe(90);
    rows.forgetMeasured();
    rows.setRows(["new", "r0", "r1", "r2", "older"], () => 10);
    expect(rows.heightOf(2)).toBe(10);
  });

  test("fifty thousand rows: positions are exact and lookups cheap", () => {
    const n = 50_000;
    const rows = new RowHeights();
    rows.setRows(keys(n), (i) => 60 + (i % 7) * 10);
    // Row heights cycle through 60..120: each full cycle of 7 is 630 px.
    const offset = (i: number) => Math.floor(i / 7) * 630 + Array.from({ length: i % 7 }, (_, j) => 60 + j * 10).reduce((a, b) => a + b, 0);
    for (const i of [0, 1, 6, 7, 12_345, 49_999]) {
      expect(rows.offsetOf(i)).toBe(offset(i));
      expect(rows.indexAt(offset(i))).toBe(i);
      expect(rows.indexAt(offset(i) + 59)).toBe(i);
    }
    rows.measure([["r10", 1090]]);
    expect(rows.offsetOf(49_999)).toBe(offset(49_999) + 1000);
  });
});

describe("rows in view", () => {
  const rows = guessed(Array.from({ length: 100 }, () => 50));

  test("at the top, exactly the rows that fit", () => {
    expect(rowsInView(rows, 0, 200, 0)).toEqual({ start: 0, end: 4 });
  });

  test("part-visible rows at both edges are rendered", () => {
    expect(rowsInView(rows, 25, 200, 0)).toEqual({ start: 0, end: 5 });
    expect(rowsInView(rows, 1025, 200, 0)).toEqual({ start: 20, end: 25 });
  });

  test("overscan adds rows on both sides, within bounds", () => {
    expect(rowsInView(rows, 1000, 200, 3)).toEqual({ start: 17, end: 27 });
    expect(rowsInView(rows, 0, 200, 3)).toEqual({ start: 0, end: 7 });
    expect(rowsInView(rows, 4800, 200, 3)).toEqual({ start: 93, end: 100 });
  });

  test("a list that starts below the top of the viewport shows its first rows", () => {
    expect(rowsInView(rows, -150, 200, 0)).toEqual({ start: 0, end: 1 });
    expect(rowsInView(rows, -900, 200, 2)).toEqual({ start: 0, end: 3 });
  });

  test("a list scrolled past keeps its last rows", () => {
    expect(rowsInView(rows, 9000, 200, 2)).toEqual({ start: 97, end: 100 });
  });

  test("rows of different heights: only the tall row in view, or many short ones", () => {
    const mixed = guessed([40, 40, 900, 40, 40, 40, 40, 40, 40, 40]);
    expect(rowsInView(mixed, 200, 400, 0)).toEqual({ start: 2, end: 3 });
    expect(rowsInView(mixed, 980, 120, 0)).toEqual({ start: 3, end: 6 });
  });

  test("the rendered window stays small anywhere in a huge list", () => {
    const huge = new RowHeights();
    huge.setRows(keys(50_000), (i) => 70 + (i % 5) * 40);
    for (const top of [0, 55_555, 2_000_000, huge.total - 800]) {
      const { start, end } = rowsInView(huge, top, 800, 4);
      expect(end - start).toBeLessThanOrEqual(12 + 8);
      expect(huge.offsetOf(start)).toBeLessThanOrEqual(Math.max(0, top));
      expect(huge.offsetOf(end)).toBeGreaterThanOrEqual(Math.min(huge.total, top + 800));
    }
  });
});

describe("the anchor stays in place", () => {
  test("rows measured above the viewport scroll it by their difference", () => {
    const rows = guessed(Array.from({ length: 100 }, () => 50));
    // The viewport starts 10 px into row 40.
    const top = 2010;
    const anchor = anchorRow(rows, top, 300);
    expect(anchor).toBe(40);
    const onScreen = rows.offsetOf(40) - top;
    const next = keepingAnchor(rows, top, 300, () => {
      rows.measure(Array.from({ length: 10 }, (_, n) => [`r${30 + n}`, 60] as const));
    });
    expect(next).toBe(top + 100);
    expect(rows.offsetOf(40) - next).toBe(onScreen);
  });

  test("rows measured below the anchor, or the anchor itself, do not scroll", () => {
    const rows = guessed(Array.from({ length: 100 }, () => 50));
    const next = keepingAnchor(rows, 2010, 300, () => {
      rows.measure([["r40", 500], ["r41", 10], ["r90", 5]]);
    });
    expect(next).toBe(2010);
  });

  test("a row the reader has seen stays put while rows never measured come into view above it", () => {
    const rows = guessed(Array.from({ length: 100 }, () => 50));
    rows.measure([["r44", 50], ["r45", 50], ["r46", 50]]);
    // Scrolled up: rows 40..43 (guessed) are now in view above row 44 (measured).
    const top = 2000;
    expect(anchorRow(rows, top, 400)).toBe(44);
    const seen = rows.offsetOf(44) - top;
    const next = keepingAnchor(rows, top, 400, () => {
      rows.measure([["r40", 90], ["r41", 20], ["r42", 75], ["r43", 50]]);
    });
    expect(next).toBe(top + 40 - 30 + 25);
    expect(rows.offsetOf(44) - next).toBe(seen);
  });

  test("with the list's top in view, the list flows down from it: no scrolling", () => {
    const rows = guessed([50, 50, 50]);
    expect(anchorRow(rows, -40, 300)).toBe(-1);
    expect(keepingAnchor(rows, -40, 300, () => rows.measure([["r0", 200]]))).toBe(-40);
  });

  test("newer rows arriving above keep the row in view where it was", () => {
    const rows = guessed([50, 50, 50, 50, 50]);
    rows.measure([["r3", 80]]);
    const top = 160; // in row 3
    const next = keepingAnchor(rows, top, 100, () => rows.setRows(["n0", "n1", ...keys(5)], () => 50));
    expect(next).toBe(top + 100);
    expect(rows.offsetOf(rows.indexOf("r3")) - next).toBe(150 - 160);
  });

  test("when the anchor row is gone, the viewport stays", () => {
    const rows = guessed([50, 50, 50]);
    expect(keepingAnchor(rows, 60, 100, () => rows.setRows(["r0", "r2"], () => 50))).toBe(60);
  });
});

describe("centring a row", () => {
  test("a short row in the middle of the viewport, a tall one from its top", () => {
    const rows = guessed([100, 100, 100, 100, 2000]);
    expect(topToCentre(rows, 3, 500)).toBe(300 - 200);
    expect(topToCentre(rows, 4, 500)).toBe(400);
    expect(topToCentre(rows, 0, 500)).toBe(-200);
  });
});
