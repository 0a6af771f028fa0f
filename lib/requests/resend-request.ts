import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "@/db/client";
import { changeRequests, confirmations } from "@/db/schema";
import { decideResend, type ResendDecision } from "@/lib/contact-change";
import { eraseCodes } from "@/lib/email/erase-codes";
import { generateToken } from "@/lib/tokens";
import { enqueueCodeEmail, requestSecretRef } from "./code-emails";
import { openRequest } from "./open-request";
import { personRef, recordEvent } from "./request-context";

export type ResendRequestResult =
  | { ok: false; reason: "not_found" }
  | Exclude<ResendDecision, { ok: true }>
  | { ok: true; recipients: { customerId: string; name: string }[] };

/**
 * "Resend request": issues new codes to the confirmers who have not answered (their old codes
 * stop working, are erased from the outbox with their unsent e-mails cancelled, and their failed
 * attempts reset) and e-mails them at the addresses in their profiles now. Any party and the
 * service's administrator may; at most once a minute.
 */
export async function resendRequest(
  db: Db,
  input: { requestId: number; actorId: number; now?: Date },
): Promise<ResendRequestResult> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const opened = await openRequest(tx, { ...input, now }, ({ request, service, confirmations }) =>
      decideResend({ request, confirmations, serviceAdminId: service.adminId, actorId: input.actorId, now }),
    );
    if (!opened) return { ok: false, reason: "not_found" } as const;
    const { context, decision } = opened;
    if (!decision.ok) return decision;
    const { request } = context;
    for (const confirmerId of decision.reissueToIds) {
      const { token, hash } = generateToken();
      await tx
        .update(confirmations)
        .set({ tokenHash: hash, tokenIssuedAt: now, failedAttempts: 0 })
        .where(
          and(
            eq(confirmations.requestId, request.id),
            eq(confirmations.accountId, confirmerId),
            isNull(confirmations.decision),
          ),
        );
      await eraseCodes(tx, {
        secretRef: requestSecretRef(request.id),
        toAccountId: confirmerId,
        reason: "a new code was sent",
      });
      await enqueueCodeEmail(tx, context, { confirmerId, code: token, isResend: true, now });
    }
    await tx.update(changeRequests).set({ lastResentAt: now }).where(eq(changeRequests.id, request.id));
    await recordEvent(tx, {
      requestId: request.id,
      actorId: input.actorId,
      kind: "resent",
      detail: { to: decision.reissueToIds },
      at: now,
    });
    return { ok: true, recipients: decision.reissueToIds.map((id) => personRef(context, id)) } as const;
  });
}
