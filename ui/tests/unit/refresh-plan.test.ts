import { describe, expect, it } from "vitest";
import type { StoreChange } from "../../src/bindings";
import { EVERYTHING, refreshPlan } from "../../src/refresh-plan";

const none: StoreChange = { contacts: [], interactions: [], events: [], suggestions: false, settings: false, everything: false };
const change = (part: Partial<StoreChange>): StoreChange => ({ ...none, ...part });

describe("refreshPlan", () => {
  it("reads nothing again when nothing changed", () => {
    const plan = refreshPlan(none, { name: "contact", id: "c1" });
    expect(Object.values(plan).some(Boolean)).toBe(false);
  });

  it("reads everything again when anything may have changed", () => {
    const { briefing, ...onContactPage } = refreshPlan(EVERYTHING, { name: "contact", id: "c1" });
    expect(Object.values(onContactPage).every(Boolean)).toBe(true);
    expect(briefing).toBe(false);
    expect(refreshPlan(EVERYTHING, { name: "event-brief", id: "e1" }).briefing).toBe(true);
  });

  it("leaves the events list alone when a contact changed", () => {
    const plan = refreshPlan(change({ contacts: ["c2"] }), { name: "contacts" });
    expect(plan).toMatchObject({ counts: true, tags: true, contacts: true, suggestions: true, events: false });
  });

  it("leaves another contact's page alone when a contact's own fields changed", () => {
    expect(refreshPlan(change({ contacts: ["c2"] }), { name: "contact", id: "c1" }).contactPage).toBe(false);
    expect(refreshPlan(change({ contacts: ["c1"] }), { name: "contact", id: "c1" }).contactPage).toBe(true);
  });

  it("reads the list, tags and events alone again for an event", () => {
    const plan = refreshPlan(change({ events: ["e1"] }), { name: "events" });
    expect(plan).toMatchObject({ events: true, contacts: false, tags: false, counts: true });
  });

  it("only refreshes suggestions for a decision or a setting", () => {
    for (const c of [change({ suggestions: true }), change({ settings: true })]) {
      const plan = refreshPlan(c, { name: "suggestions" });
      expect(plan).toMatchObject({ suggestions: true, contacts: false, events: false, counts: false, tags: false });
    }
  });

  it("refreshes the briefing on screen when its people or notes changed, not for a decision", () => {
    expect(refreshPlan(change({ interactions: ["i1"] }), { name: "event-brief", id: "e1" }).briefing).toBe(true);
    expect(refreshPlan(change({ suggestions: true }), { name: "event-brief", id: "e1" }).briefing).toBe(false);
  });
});
