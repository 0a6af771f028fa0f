import type { Tx } from "@/db/client";
import { expireOverdueRequests } from "./end-request";
import { loadRequestContext, type RequestContext } from "./request-context";
import { canViewRequest } from "./request-visibility";

/** A domain decision about an action on a request: allowed, or refused with a reason. */
type Decision = { ok: true } | { ok: false; reason: string };

/**
 * The request an action opened: `null` when it does not exist for this account (answer 404),
 * else its context and the domain's decision.
 */
export type OpenedRequest<D extends Decision> = { context: RequestContext; decision: D } | null;

/**
 * The opening steps that answering, cancelling and resending share: loads and locks the request
 * (loadRequestContext), hides it from anyone not party to it, asks the domain with `decide`,
 * and, when the domain refuses because the request's time is up, records its expiry (and the
 * service's other overdue requests') in the same transaction, so the refusal and the state agree.
 */
export async function openRequest<D extends Decision>(
  tx: Tx,
  { requestId, actorId, now }: { requestId: number; actorId: number; now: Date },
  decide: (context: RequestContext) => D | Promise<D>,
): Promise<OpenedRequest<D>> {
  const context = await loadRequestContext(tx, requestId);
  if (!context || !canViewRequest(context, actorId)) return null;
  const decision = await decide(context);
  if (!decision.ok && decision.reason === "expired") {
    await expireOverdueRequests(tx, { serviceId: context.service.id, now });
  }
  return { context, decision };
}
