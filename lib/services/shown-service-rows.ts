import type { ServiceType } from "@/db/schema";
import type { ContactCell, ServiceRow } from "./list-services";

/** A person a page of My contacts names: customer ID and name. */
export type ShownPerson = Pick<ContactCell, "customerId" | "name">;

/** A row as the table's client component gets it: its three contacts by account id. */
export type ShownServiceRow = {
  id: number;
  name: string;
  type: ServiceType;
  /** Account ids of the administrator, technical and billing contacts, in that order. */
  contacts: [number, number, number];
};

/**
 * A page's rows with each person once. The rows travel twice, as HTML and in the page's React
 * payload, and a customer's rows mostly name the same few people (often themselves three times a
 * row): 50 rows carried each name and customer ID up to 150 times, a sixth of the page's bytes.
 */
export function shownServiceRows(rows: ServiceRow[]): {
  rows: ShownServiceRow[];
  people: Record<number, ShownPerson>;
} {
  const people: Record<number, ShownPerson> = {};
  const shown = rows.map((row) => {
    for (const cell of [row.admin, row.tech, row.billing]) {
      people[cell.id] ??= { customerId: cell.customerId, name: cell.name };
    }
    return {
      id: row.id,
      name: row.name,
      type: row.type,
      contacts: [row.admin.id, row.tech.id, row.billing.id] as [number, number, number],
    };
  });
  return { rows: shown, people };
}
