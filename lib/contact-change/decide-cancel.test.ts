import { describe, expect, it } from "vitest";
import { decideCancel } from "./decide-cancel";
import { ANNA, BOB, CARL, DAWID, EWA } from "./test-fixtures";

const now = new Date("2026-03-05T12:00:00Z");
// Anna asked to replace Bob (tech) by Dawid; Carl administers the service now.
const request = {
  state: "pending" as const,
  expiresAt: new Date("2026-03-15T12:00:00Z"),
  requestedById: ANNA,
  oldContactId: BOB,
  newContactId: DAWID,
};

function cancel(overrides: Partial<Parameters<typeof decideCancel>[0]>) {
  return decideCancel({ request, serviceAdminId: CARL, actorId: ANNA, now, ...overrides });
}

describe("cancel", () => {
  it("the account that asked may withdraw its request", () => {
    expect(cancel({})).toEqual({ ok: true, endReason: "withdrawn" });
  });

  it("the service's administrator may withdraw a request", () => {
    expect(cancel({ actorId: CARL })).toEqual({ ok: true, endReason: "withdrawn" });
  });

  it.each([
    ["the old contact", BOB],
    ["the new contact", DAWID],
    ["an outsider", EWA],
  ])("%s may not cancel", (_name, actorId) => {
    expect(cancel({ actorId })).toEqual({ ok: false, reason: "not_allowed" });
  });

  it("an expired request cannot be cancelled", () => {
    expect(cancel({ now: request.expiresAt })).toEqual({ ok: false, reason: "expired" });
  });

  it("a refused request cannot be cancelled", () => {
    expect(cancel({ request: { ...request, state: "refused" } })).toEqual({
      ok: false,
      reason: "not_pending",
      state: "refused",
    });
  });
});
