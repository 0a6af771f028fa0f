import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { outbox } from "@/db/schema";
import { openTestDb } from "@/db/testing";
import { EmailPropsError } from "./email-templates";
import { enqueueEmail } from "./enqueue-email";
import type { ChangeRequestEmailProps } from "./templates/change-request";
import { changeRequestProps, requestEndedProps } from "./testing/email-fixtures";

const NOW = new Date("2026-01-01T10:00:00.000Z");
let db: Db;

beforeEach(async () => {
  db = await openTestDb();
});
afterEach(async () => {
  await db.close();
  vi.unstubAllEnvs();
});

describe("enqueueEmail", () => {
  it("stores a pending row, due now, with its subject, props and a unique idempotency key", async () => {
    const [first, second] = await db.transaction(async (tx) => [
      await enqueueEmail(tx, {
        to: "dawid@example.test",
        language: "pl",
        template: "change-request",
        props: changeRequestProps(),
        now: NOW,
      }),
      await enqueueEmail(tx, {
        to: "anna@example.test",
        language: "en",
        template: "request-ended",
        props: requestEndedProps({ outcome: "refused" }),
        now: NOW,
      }),
    ]);
    const [row] = await db.read.select().from(outbox).where(eq(outbox.id, first.id));
    expect(row).toMatchObject({
      toAddress: "dawid@example.test",
      toAccountId: null,
      language: "pl",
      template: "change-request",
      subject: "Potwierdź lub odrzuć zmianę kontaktu usługi example.pl (zlecenie nr 17)",
      status: "pending",
      attempts: 0,
      nextAttemptAt: NOW,
      idempotencyKey: first.idempotencyKey,
    });
    expect(row?.props).toEqual(changeRequestProps());
    expect(second.idempotencyKey).not.toBe(first.idempotencyKey);
  });

  it("is rolled back with the transaction it ran in", async () => {
    await expect(
      db.transaction(async (tx) => {
        await enqueueEmail(tx, {
          to: "dawid@example.test",
          language: "en",
          template: "change-request",
          props: changeRequestProps(),
          now: NOW,
        });
        expect(await tx.select().from(outbox)).toHaveLength(1);
        throw new Error("the change that caused the e-mail failed");
      }),
    ).rejects.toThrow("the change that caused the e-mail failed");
    expect(await db.read.select().from(outbox)).toHaveLength(0);
  });

  it("commits with the transaction it ran in", async () => {
    await db.transaction(async (tx) => {
      await enqueueEmail(tx, {
        to: "dawid@example.test",
        language: "en",
        template: "email-change",
        props: {
          recipientName: "Dawid",
          newEmail: "dawid.new@example.test",
          code: "abc",
          expiresAt: NOW.toISOString(),
        },
        now: NOW,
      });
    });
    expect(await db.read.select().from(outbox)).toHaveLength(1);
  });

  it("fixes the link base at enqueue time, so every retry renders the same links", async () => {
    vi.stubEnv("APP_URL", "https://panel.example.test/");
    const { baseUrl: _omitted, ...props } = changeRequestProps();
    const { id } = await db.transaction((tx) =>
      enqueueEmail(tx, {
        to: "d@example.test",
        language: "en",
        template: "change-request",
        props,
        now: NOW,
      }),
    );
    const [row] = await db.read.select().from(outbox).where(eq(outbox.id, id));
    expect(row?.props.baseUrl).toBe("https://panel.example.test");
  });

  it("refuses invalid props inside the transaction, which then rolls back", async () => {
    const props = { ...changeRequestProps(), serviceType: "castle" } as unknown as ChangeRequestEmailProps;
    await expect(
      db.transaction(async (tx) => {
        await enqueueEmail(tx, {
          to: "d@example.test",
          language: "en",
          template: "change-request",
          props,
          now: NOW,
        });
      }),
    ).rejects.toThrow(EmailPropsError);
    expect(await db.read.select().from(outbox)).toHaveLength(0);
  });
});
