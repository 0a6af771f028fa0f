import { canActOnRequest } from "@/lib/contact-change";
import type { RequestContext } from "./request-context";

/**
 * Whether an account may see a request: the account that asked, the old and new contact, a
 * confirmer, or the service's administrator now. Anyone else gets a 404.
 */
export function canViewRequest(context: RequestContext, accountId: number): boolean {
  return (
    canActOnRequest("view", {
      actorId: accountId,
      request: context.request,
      serviceAdminId: context.service.adminId,
    }) || context.confirmations.some((confirmation) => confirmation.accountId === accountId)
  );
}
