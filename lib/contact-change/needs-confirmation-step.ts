import type { PlannedRequest } from "./plan-contact-change";

/**
 * Whether the edit form shows a planned request to its asker once more, with what it does, before
 * registering it. Two changes are hard to undo: handing over the administrator contact (the new
 * one may change every contact, the asker's included, and the owner's details) and taking a
 * contact back (the holder loses it on the asker's word alone, no one else confirms). Naming
 * another technical or billing contact needs the new contact's code too, and the administrator
 * can undo it: no extra step.
 */
export function needsConfirmationStep(request: Pick<PlannedRequest, "contactTypes" | "kind">): boolean {
  return request.kind === "take_back" || request.contactTypes.includes("admin");
}
