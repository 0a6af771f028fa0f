import { describe, expect, it } from "vitest";
import {
  assertTransition,
  canTransition,
  effectiveState,
  expiresAt,
  InvalidTransitionError,
  isFinalState,
  shouldExpire,
} from "./request-states";
import { REQUEST_STATES, type RequestState } from "./vocabulary";

describe("transitions", () => {
  const allowed: [RequestState, RequestState][] = [
    ["pending", "done"],
    ["pending", "refused"],
    ["pending", "expired"],
    ["pending", "cancelled"],
  ];
  const isAllowed = (from: RequestState, to: RequestState) =>
    allowed.some(([allowedFrom, allowedTo]) => allowedFrom === from && allowedTo === to);
  const pairs = REQUEST_STATES.flatMap((from) => REQUEST_STATES.map((to) => [from, to] as const));

  it.each(pairs)("%s → %s is allowed only if it leaves pending for an end state", (from, to) => {
    expect(canTransition(from, to)).toBe(isAllowed(from, to));
  });

  it("a pending request cannot stay pending by a transition", () => {
    expect(canTransition("pending", "pending")).toBe(false);
  });

  it("every state but pending is final", () => {
    expect(REQUEST_STATES.filter((state) => isFinalState(state))).toEqual([
      "done",
      "refused",
      "expired",
      "cancelled",
    ]);
  });

  it("asserting a forbidden transition throws, naming both states", () => {
    expect(() => assertTransition("done", "cancelled")).toThrow(InvalidTransitionError);
    expect(() => assertTransition("expired", "done")).toThrow("cannot go from expired to done");
  });

  it("asserting an allowed transition passes", () => {
    expect(() => assertTransition("pending", "done")).not.toThrow();
  });
});

describe("expiry", () => {
  const createdAt = new Date("2026-03-01T10:00:00.000Z");
  const deadline = expiresAt(createdAt, 14);

  it("a request expires the given number of days after it was made", () => {
    expect(deadline.toISOString()).toBe("2026-03-15T10:00:00.000Z");
    expect(expiresAt(createdAt, 1).getTime() - createdAt.getTime()).toBe(86_400_000);
  });

  it("a pending request before its deadline reads as pending", () => {
    expect(effectiveState({ state: "pending", expiresAt: deadline }, new Date(deadline.getTime() - 1))).toBe(
      "pending",
    );
  });

  it("a pending request reads as expired from its deadline on", () => {
    expect(effectiveState({ state: "pending", expiresAt: deadline }, deadline)).toBe("expired");
    expect(effectiveState({ state: "pending", expiresAt: deadline }, new Date("2026-04-01T00:00:00Z"))).toBe(
      "expired",
    );
  });

  it.each(["done", "refused", "cancelled", "expired"] as const)(
    "an ended request (%s) keeps its state after the deadline",
    (state) => {
      expect(effectiveState({ state, expiresAt: deadline }, new Date("2026-04-01T00:00:00Z"))).toBe(state);
    },
  );

  it("only a stored pending request past its deadline must have its expiry written", () => {
    const late = new Date(deadline.getTime() + 1);
    expect(shouldExpire({ state: "pending", expiresAt: deadline }, late)).toBe(true);
    expect(shouldExpire({ state: "pending", expiresAt: deadline }, createdAt)).toBe(false);
    expect(shouldExpire({ state: "expired", expiresAt: deadline }, late)).toBe(false);
    expect(shouldExpire({ state: "done", expiresAt: deadline }, late)).toBe(false);
  });
});
