import { describe, expect, it } from "vitest";
import type { ServiceRow } from "./list-services";
import { shownServiceRows } from "./shown-service-rows";

const anna = { id: 1, customerId: "ab12345-ovh", name: "Anna Nowak" };
const dawid = { id: 2, customerId: "dk54321-ovh", name: "Dawid Kowalski" };
const firma = { id: 3, customerId: "fi11111-ovh", name: "Firma Sp. z o.o." };

const row = (id: number, admin: typeof anna, tech: typeof anna, billing: typeof anna): ServiceRow => ({
  id,
  name: `service-${id}.pl`,
  type: "domain",
  admin,
  tech,
  billing,
});

describe("shownServiceRows: a page's rows with each person once", () => {
  it("keeps every row, in order, with its contacts as administrator, technical, billing ids", () => {
    const { rows } = shownServiceRows([row(10, anna, dawid, firma), row(11, dawid, anna, anna)]);
    expect(rows).toEqual([
      { id: 10, name: "service-10.pl", type: "domain", contacts: [1, 2, 3] },
      { id: 11, name: "service-11.pl", type: "domain", contacts: [2, 1, 1] },
    ]);
  });

  it("names each person once, however many rows and roles name them", () => {
    const page = Array.from({ length: 50 }, (_, i) => row(i + 1, anna, anna, i % 2 ? dawid : anna));
    const { people } = shownServiceRows(page);
    expect(people).toEqual({
      1: { customerId: "ab12345-ovh", name: "Anna Nowak" },
      2: { customerId: "dk54321-ovh", name: "Dawid Kowalski" },
    });
  });

  it("gives nothing for an empty page", () => {
    expect(shownServiceRows([])).toEqual({ rows: [], people: {} });
  });
});
