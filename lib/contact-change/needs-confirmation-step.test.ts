import { describe, expect, it } from "vitest";
import { needsConfirmationStep } from "./needs-confirmation-step";

describe("the edit form's confirmation step", () => {
  it("handing over the administrator contact asks first, alone or with other contacts", () => {
    expect(needsConfirmationStep({ kind: "hand_over", contactTypes: ["admin"] })).toBe(true);
    expect(needsConfirmationStep({ kind: "hand_over", contactTypes: ["admin", "tech"] })).toBe(true);
  });

  it("taking a contact back asks first", () => {
    expect(needsConfirmationStep({ kind: "take_back", contactTypes: ["billing"] })).toBe(true);
  });

  it("naming another technical or billing contact needs no extra step", () => {
    expect(needsConfirmationStep({ kind: "replace", contactTypes: ["tech", "billing"] })).toBe(false);
    expect(needsConfirmationStep({ kind: "hand_over", contactTypes: ["tech"] })).toBe(false);
  });
});
