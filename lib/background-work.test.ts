import { afterEach, describe, expect, it, vi } from "vitest";
import type { Db } from "@/db/client";
import { outbox } from "@/db/schema";
import { openTestDb } from "@/db/testing";
import { registerBackgroundWork, stopBackgroundWork } from "./background-work";
import { enqueueEmail } from "./email/enqueue-email";
import { kickOutboxSender, startOutboxSender } from "./email/outbox-sender";
import type { EmailTransport } from "./email/send-email";
import { changeRequestProps } from "./email/testing/email-fixtures";

afterEach(async () => {
  await stopBackgroundWork({ timeoutMs: 100 });
});

describe("stopBackgroundWork", () => {
  it("stops every registered piece of work at once and waits for each, once", async () => {
    const stopped: string[] = [];
    const slowStop = (name: string, ms: number) => async () => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      stopped.push(name);
    };
    registerBackgroundWork("sender", slowStop("sender", 60));
    registerBackgroundWork("sweep", slowStop("sweep", 10));
    const startedAt = Date.now();
    await stopBackgroundWork();
    expect(stopped).toEqual(["sweep", "sender"]);
    // In parallel, not one after the other.
    expect(Date.now() - startedAt).toBeLessThan(1_000);
    await stopBackgroundWork();
    expect(stopped).toEqual(["sweep", "sender"]);
  });

  it("gives up waiting after its timeout, and survives a stop that throws", async () => {
    registerBackgroundWork("stuck", () => new Promise<void>(() => {}));
    registerBackgroundWork("broken", async () => {
      throw new Error("cannot stop");
    });
    const startedAt = Date.now();
    await expect(stopBackgroundWork({ timeoutMs: 50 })).resolves.toBeUndefined();
    expect(Date.now() - startedAt).toBeLessThan(1_000);
  });

  it("a second registration under one name stops the first: never two senders", async () => {
    const first = vi.fn(async () => {});
    registerBackgroundWork("sender", first);
    registerBackgroundWork("sender", async () => {});
    expect(first).toHaveBeenCalledOnce();
  });

  it("ends a registered outbox sender: the e-mail in flight is recorded, no other is claimed", async () => {
    const db: Db = await openTestDb();
    try {
      let release: (() => void) | null = null;
      const held: EmailTransport = {
        name: "mailbox",
        isDelivering: false,
        send: () =>
          new Promise((resolve) => {
            release = () => resolve({ ok: true, providerMessageId: null });
          }),
      };
      await db.transaction(async (tx) => {
        for (const to of ["a@example.test", "b@example.test"]) {
          await enqueueEmail(tx, {
            to,
            language: "en",
            template: "change-request",
            props: changeRequestProps(),
            now: new Date(),
          });
        }
      });
      registerBackgroundWork("outbox-sender", startOutboxSender(db, { transport: held, concurrency: 1 }));
      // The e-mail is in the transport's hands (claimed, rendered, handed over), not only claimed.
      await vi.waitFor(() => expect(release).not.toBeNull());
      expect((await db.read.select().from(outbox)).map((row) => row.status)).toContain("sending");

      const stopping = stopBackgroundWork();
      expect(kickOutboxSender()).toBe(false);
      (release as unknown as () => void)();
      await stopping;
      expect((await db.read.select().from(outbox).orderBy(outbox.id)).map((row) => row.status)).toEqual([
        "sent",
        "pending",
      ]);
    } finally {
      await db.close();
    }
  });
});
