import { beforeEach, describe, expect, test, vi } from "vitest";

// The generated bindings call `invoke` from @tauri-apps/api/core; replace it so each test says
// what the backend answers.
const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({
  invoke: (...args: unknown[]) => invoke(...args),
  Channel: class {},
}));

const api = await import("../../src/api");
const { buildMomentDraft, emptyContactForm, validateContactForm } = await import("../../src/drafts");

beforeEach(() => {
  invoke.mockReset();
});

describe("api", () => {
  test("passes the command name and named arguments, and returns the data", async () => {
    const rows = [{ id: "c1", name: "Rosa" }];
    invoke.mockResolvedValueOnce(rows);
    await expect(api.listContacts({ query: "koha", role: "mentor" })).resolves.toEqual(rows);
    expect(invoke).toHaveBeenCalledWith("list_contacts", {
      filter: { query: "koha", role: "mentor", channel: null, tag: null, limit: null },
    });
  });

  test("an older page of a timeline is asked for after the last one, a page at a time", async () => {
    const page = { entries: [], next: null };
    invoke.mockResolvedValueOnce(page);
    await expect(api.contactTimeline("c1", "1767225600000.42")).resolves.toEqual(page);
    expect(invoke).toHaveBeenCalledWith("contact_timeline", { id: "c1", after: "1767225600000.42", limit: api.TIMELINE_PAGE });
  });

  test("commands without arguments send none", async () => {
    invoke.mockResolvedValueOnce({ contacts: 0, interactions: 0, events: 0 });
    await api.stats();
    expect(invoke).toHaveBeenCalledWith("stats");
  });

  test("a backend error becomes an ApiError with its code and message", async () => {
    invoke.mockRejectedValueOnce({ code: "not_found", message: 'contact "x" was not found' });
    const err = await api.getContact("x").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(api.ApiError);
    expect(err).toMatchObject({ code: "not_found", message: 'contact "x" was not found' });
    expect(invoke).toHaveBeenCalledWith("get_contact", { id: "x" });
  });

  test("store_busy keeps its code so the UI can offer to retry", async () => {
    invoke.mockRejectedValueOnce({ code: "store_busy", message: "The store is busy." });
    const draft = validateContactForm({ ...emptyContactForm(), name: "Jo" }).draft;
    expect(draft).not.toBeNull();
    await expect(api.saveContact(draft!)).rejects.toMatchObject({ code: "store_busy" });
  });

  test("a JavaScript failure (no backend at all) is an ApiError too", async () => {
    invoke.mockRejectedValueOnce(new TypeError("window.__TAURI_INTERNALS__ is undefined"));
    await expect(api.listTags()).rejects.toMatchObject({
      name: "ApiError",
      code: "internal",
      message: "window.__TAURI_INTERNALS__ is undefined",
    });
  });

  test("a bare string or an odd value still gives a readable error", async () => {
    invoke.mockRejectedValueOnce("database is locked");
    await expect(api.listEvents()).rejects.toMatchObject({ code: "internal", message: "database is locked" });
    invoke.mockRejectedValueOnce(undefined);
    await expect(api.listEvents()).rejects.toMatchObject({ code: "internal" });
    invoke.mockRejectedValueOnce({ code: 42 });
    await expect(api.listEvents()).rejects.toMatchObject({ code: "internal" });
  });

  test("drafts go out under the argument name the command expects", async () => {
    invoke.mockResolvedValueOnce({ id: "i1" });
    const { draft } = buildMomentDraft(
      { contactId: "c1", channel: "email", text: "Thanks", moment: "asked" },
      new Date("2024-01-01T00:00:00Z"),
    );
    expect(draft).not.toBeNull();
    await api.saveInteraction(draft!);
    expect(invoke).toHaveBeenCalledWith("save_interaction", { draft });
  });
});
