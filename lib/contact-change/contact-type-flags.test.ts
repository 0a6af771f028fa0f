import { describe, expect, it } from "vitest";
import { contactTypeFlags, contactTypesFromFlags } from "./contact-type-flags";

describe("contact type flags", () => {
  it("a request's contact types are stored as the changes* flags", () => {
    expect(contactTypeFlags(["tech", "billing"])).toEqual({
      changesAdmin: false,
      changesTech: true,
      changesBilling: true,
    });
  });

  it("stored flags read back as contact types in admin, tech, billing order", () => {
    expect(contactTypesFromFlags({ changesAdmin: true, changesTech: false, changesBilling: true })).toEqual([
      "admin",
      "billing",
    ]);
  });
});
