import { describe, expect, it } from "vitest";
import { type BatchSelection, MAX_BATCH_SERVICES } from "@/lib/requests/batches/vocabulary";
import { readBulkSelection, selectionHiddenFields } from "./read-bulk-selection";

describe("readBulkSelection", () => {
  it("reads ticked rows from the address, once each, dropping what names no row", () => {
    expect(readBulkSelection({ service: ["3", "1", "3", "x", "-2", "0", "1.5", "99999999999"] })).toEqual({
      kind: "services",
      serviceIds: [3, 1],
    });
  });

  it("reads the form's comma-joined list the same way", () => {
    expect(readBulkSelection({ service: "7,8, 9" })).toEqual({ kind: "services", serviceIds: [7, 8, 9] });
  });

  it("is nothing when no valid row is ticked", () => {
    expect(readBulkSelection({})).toBeNull();
    expect(readBulkSelection({ service: ["", "abc"] })).toBeNull();
  });

  it("cuts a ticked list one past the limit, so the limit can still be told apart", () => {
    const service = Array.from({ length: MAX_BATCH_SERVICES + 50 }, (_, i) => String(i + 1));
    const selection = readBulkSelection({ service });
    expect(selection?.kind === "services" && selection.serviceIds.length).toBe(MAX_BATCH_SERVICES + 1);
  });

  it("'all matching' wins over ticked rows and keeps My contacts' filter, junk filters dropped", () => {
    expect(readBulkSelection({ all: "1", service: ["4"], q: "  shop ", type: "vps", role: "tech" })).toEqual({
      kind: "filter",
      search: "shop",
      type: "vps",
      role: "tech",
    });
    expect(readBulkSelection({ all: "1", type: "car", role: ["tech", "admin"], q: ["a", "b"] })).toEqual({
      kind: "filter",
      search: "",
      type: null,
      role: null,
    });
    expect(readBulkSelection({ all: "yes", service: "5" })).toEqual({ kind: "services", serviceIds: [5] });
  });

  it("round-trips through the form's hidden fields", () => {
    const selections: BatchSelection[] = [
      { kind: "services", serviceIds: [5, 2] },
      { kind: "filter", search: "shop", type: null, role: "billing" },
    ];
    for (const selection of selections) {
      expect(readBulkSelection(selectionHiddenFields(selection))).toEqual(selection);
    }
  });
});
