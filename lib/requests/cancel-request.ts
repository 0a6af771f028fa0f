import type { Db } from "@/db/client";
import { type CancelDecision, decideCancel } from "@/lib/contact-change";
import { endRequest } from "./end-request";
import { openRequest } from "./open-request";

export type CancelRequestResult =
  | { ok: false; reason: "not_found" }
  | Exclude<CancelDecision, { ok: true }>
  | { ok: true };

/** Withdraws a pending request: the account that asked or the service's administrator; everyone is told. */
export async function cancelRequest(
  db: Db,
  input: { requestId: number; actorId: number; now?: Date },
): Promise<CancelRequestResult> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const opened = await openRequest(tx, { ...input, now }, (context) =>
      decideCancel({
        request: context.request,
        serviceAdminId: context.service.adminId,
        actorId: input.actorId,
        now,
      }),
    );
    if (!opened) return { ok: false, reason: "not_found" } as const;
    const { context, decision } = opened;
    if (!decision.ok) return decision;
    await endRequest(tx, context, {
      state: "cancelled",
      reason: decision.endReason,
      actorId: input.actorId,
      now,
    });
    return { ok: true } as const;
  });
}
