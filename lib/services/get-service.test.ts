import { beforeEach, describe, expect, it } from "vitest";
import type { Db } from "@/db/client";
import { accounts, services } from "@/db/schema";
import { openTestDb } from "@/db/testing";
import { getServiceForContact } from "./get-service";

describe("getServiceForContact", () => {
  let db: Db;
  const id: Record<string, number> = {};

  beforeEach(async () => {
    db = await openTestDb();
    await db.transaction(async (tx) => {
      for (const customerId of ["aa100001-ovh", "bb200002-ovh", "cc300003-ovh", "dd400004-ovh"]) {
        const [row] = await tx
          .insert(accounts)
          .values({
            customerId,
            name: `Name ${customerId}`,
            email: `${customerId}@example.test`,
            passwordHash: "x",
          })
          .returning({ id: accounts.id });
        id[customerId] = (row as { id: number }).id;
      }
      const [service] = await tx
        .insert(services)
        .values({
          name: "shop.example.pl",
          type: "web_hosting",
          adminId: id["aa100001-ovh"] as number,
          techId: id["bb200002-ovh"] as number,
          billingId: id["cc300003-ovh"] as number,
        })
        .returning({ id: services.id });
      id.service = (service as { id: number }).id;
    });
  });

  it("gives each contact the service with its three contacts", async () => {
    const expected = {
      id: id.service,
      name: "shop.example.pl",
      type: "web_hosting",
      admin: { id: id["aa100001-ovh"], customerId: "aa100001-ovh", name: "Name aa100001-ovh" },
      tech: { id: id["bb200002-ovh"], customerId: "bb200002-ovh", name: "Name bb200002-ovh" },
      billing: { id: id["cc300003-ovh"], customerId: "cc300003-ovh", name: "Name cc300003-ovh" },
    };
    for (const contact of ["aa100001-ovh", "bb200002-ovh", "cc300003-ovh"]) {
      expect(await getServiceForContact(db, id.service as number, id[contact] as number)).toEqual(expected);
    }
  });

  it("for anyone else, and for an id that is no service's, there is no service", async () => {
    expect(await getServiceForContact(db, id.service as number, id["dd400004-ovh"] as number)).toBeNull();
    expect(
      await getServiceForContact(db, (id.service as number) + 1, id["aa100001-ovh"] as number),
    ).toBeNull();
    expect(await getServiceForContact(db, Number.NaN, id["aa100001-ovh"] as number)).toBeNull();
    expect(await getServiceForContact(db, 2 ** 53, id["aa100001-ovh"] as number)).toBeNull();
    // Past PostgreSQL's integer ids: no service, rather than an out-of-range error.
    expect(await getServiceForContact(db, 3_000_000_000, id["aa100001-ovh"] as number)).toBeNull();
    expect(await getServiceForContact(db, -1, id["aa100001-ovh"] as number)).toBeNull();
  });
});
