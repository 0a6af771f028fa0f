"use client";

import type { ServiceType } from "@/db/schema";
import type { ShownPerson, ShownServiceRow } from "@/lib/services/shown-service-rows";

/**
 * The body of the My contacts table. A client component on purpose: it is still rendered to
 * HTML on the server, but the page's React payload then carries the rows as data once instead
 * of as a second copy of every row's element tree — the difference that keeps the page near
 * a bare page's speed. The people come once, apart from the rows (shown-service-rows.ts).
 */
export function ServiceRows({
  rows,
  people,
  accountId,
  you,
  typeNames,
  editLabel,
  selectLabel,
}: {
  rows: ShownServiceRow[];
  /** Every person the rows name, by account id. */
  people: Record<number, ShownPerson>;
  accountId: number;
  you: string;
  typeNames: Record<ServiceType, string>;
  /** "Edit contacts of {service}", with `{service}` to fill in. */
  editLabel: string;
  /** "Select {service}": the row's checkbox of the bulk hand-over form the table sits in. */
  selectLabel: string;
}) {
  // The name shows beside the customer ID from `data-name` (globals.css), outside the cell's text:
  // the cell's text stays the customer ID, which scripts and tests read, while people and screen
  // readers get both.
  const contact = (id: number) => {
    // Every id the rows hold is in `people` (shownServiceRows puts it there).
    const person = people[id] as ShownPerson;
    return (
      <>
        <code data-name={person.name}>{person.customerId}</code>
        {id === accountId && <mark>{you}</mark>}
      </>
    );
  };
  return (
    <tbody>
      {rows.map((row) => (
        <tr key={row.id}>
          <th scope="row">{row.name}</th>
          <td>{typeNames[row.type]}</td>
          <td>{contact(row.contacts[0])}</td>
          <td>{contact(row.contacts[1])}</td>
          <td>{contact(row.contacts[2])}</td>
          <td>
            {/* Last, not first: the row's name and its cells' order stay what they were. */}
            <input
              type="checkbox"
              name="service"
              value={row.id}
              aria-label={selectLabel.replace("{service}", () => row.name)}
            />
            <a href={`/contacts/${row.id}`}>
              <span className="sr-only">{editLabel.replace("{service}", () => row.name)}</span>
            </a>
          </td>
        </tr>
      ))}
    </tbody>
  );
}
