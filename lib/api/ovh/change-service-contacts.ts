import type { Db } from "@/db/client";
import { CONTACT_TYPES, type ContactType, type ServiceType } from "@/db/schema";
import type { FieldError } from "@/lib/contact-change";
import { kickOutboxSender } from "@/lib/email/outbox-sender";
import { requestContactChange } from "@/lib/requests/request-contact-change";
import { type ApiResponse, apiError, notFound, ok } from "./api-response";
import { findServiceForContact } from "./find-service-for-contact";
import { OVH_CONTACT_TYPE_OF, type OvhContactType } from "./ovh-vocabulary";

/** The one message for a service that is absent or not the caller's. */
export const SERVICE_NOT_FOUND = "This service does not exist.";

/** Why a field is refused, for a person reading the error. */
function fieldMessage(error: FieldError): string {
  switch (error.reason) {
    case "not_allowed":
      return "your roles do not allow changing this contact";
    case "malformed_customer_id":
      return "is not a customer ID (like aa123456-ovh)";
    case "unknown_account":
      return "no account has this customer ID";
    case "already_holder":
      return `${error.customerId} already holds this contact`;
    case "pending_request_exists":
      return `task ${error.pendingRequestId} for this contact is still pending: wait for it to end, or cancel it`;
    case "billing_payments_overdue":
      return "the billing contact cannot change while your account or the current billing contact's account has an overdue invoice";
  }
}

/**
 * The status of a refused submission: 409 when a pending task stands in the way of a field, else
 * 403 when the account may not make a change it asked for (its roles, or overdue payments), else
 * 400 (a customer ID that is malformed or unknown).
 */
function refusedFieldsResponse(fieldErrors: Partial<Record<ContactType, FieldError>>): ApiResponse {
  const refused = CONTACT_TYPES.flatMap((type) => {
    const error = fieldErrors[type];
    return error ? [[OVH_CONTACT_TYPE_OF[type], error] as const] : [];
  });
  const reasons = new Set(refused.map(([, error]) => error.reason));
  const message = refused.map(([field, error]) => `${field}: ${fieldMessage(error)}`).join("; ");
  const details: Partial<Record<OvhContactType, string>> = Object.fromEntries(
    refused.map(([field, error]) => [field, error.reason]),
  );
  if (reasons.has("pending_request_exists")) {
    return apiError(409, "PENDING_REQUEST_EXISTS", message, { details });
  }
  if (reasons.has("not_allowed") || reasons.has("billing_payments_overdue")) {
    return apiError(403, "NOT_ALLOWED", message, { details });
  }
  return apiError(400, "BAD_REQUEST", message, { details });
}

/**
 * `POST /{serviceType}/{serviceName}/changeContact`: the edit form's submission, through the same
 * use case (requestContactChange: the same rules, transaction and e-mails). OVH's panel sends all
 * three fields whether changed or not, so every field counts as shown as sent: one naming its
 * current holder asks for no change. Answers the ids of the tasks created, one per old → new pair.
 */
export async function changeServiceContacts(
  db: Db,
  input: {
    accountId: number;
    serviceType: ServiceType;
    serviceName: string;
    fields: Partial<Record<OvhContactType, string>>;
    now: Date;
  },
): Promise<ApiResponse> {
  const service = await findServiceForContact(db, {
    type: input.serviceType,
    name: input.serviceName,
    accountId: input.accountId,
  });
  if (!service) return notFound(SERVICE_NOT_FOUND);
  const fields: Partial<Record<ContactType, string>> = {};
  for (const type of CONTACT_TYPES) {
    const value = input.fields[OVH_CONTACT_TYPE_OF[type]];
    if (value !== undefined) fields[type] = value;
  }
  const result = await requestContactChange(db, {
    actorId: input.accountId,
    serviceId: service.id,
    fields,
    shown: fields,
    now: input.now,
  });
  // A refusal may have recorded the service's overdue requests as expired, which e-mails.
  kickOutboxSender();
  if (result.ok) return ok(result.requests.map((request) => request.id));
  switch (result.reason) {
    case "not_found":
      return notFound(SERVICE_NOT_FOUND);
    case "nothing_to_change":
      return apiError(
        400,
        "NOTHING_TO_CHANGE",
        "Nothing to change: every contact given is already held by the account named.",
      );
    case "invalid_fields":
      return refusedFieldsResponse(result.fieldErrors);
  }
}
