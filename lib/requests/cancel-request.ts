import type { Db } from "@/db/client";
import { type CancelDecision, decideCancel } from "@/lib/contact-change";
import { endRequest, expireOverdueRequests, loadRequestContext } from "./request-context";
import { canViewRequest } from "./request-visibility";

export type CancelRequestResult =
  | { ok: false; reason: "not_found" }
  | Exclude<CancelDecision, { ok: true }>
  | { ok: true };

/** Withdraws a pending request: the account that asked or the service's administrator; everyone is told. */
export function cancelRequest(
  db: Db,
  input: { requestId: number; actorId: number; now?: Date },
): CancelRequestResult {
  const now = input.now ?? new Date();
  return db.transaction(
    (tx) => {
      const context = loadRequestContext(tx, input.requestId);
      if (!context || !canViewRequest(context, input.actorId))
        return { ok: false, reason: "not_found" } as const;
      const decision = decideCancel({
        request: context.request,
        serviceAdminId: context.service.adminId,
        actorId: input.actorId,
        now,
      });
      if (!decision.ok) {
        if (decision.reason === "expired") expireOverdueRequests(tx, { serviceId: context.service.id, now });
        return decision;
      }
      endRequest(tx, context, {
        state: "cancelled",
        reason: decision.endReason,
        actorId: input.actorId,
        now,
      });
      return { ok: true } as const;
    },
    { behavior: "immediate" },
  );
}
