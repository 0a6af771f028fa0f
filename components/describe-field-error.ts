import type { ContactType } from "@/db/schema";
import type { FieldError } from "@/lib/contact-change";

/** The "Edit" namespace's translator, from useTranslations or getTranslations. */
type EditTranslator = (key: string, values?: Record<string, string | number>) => string;

/**
 * A refused contact field in words. One wording for the edit form and the bulk hand-over, whose
 * refused services are refused by the same rules.
 */
export function describeFieldError(t: EditTranslator, type: ContactType, error: FieldError): string {
  switch (error.reason) {
    case "malformed_customer_id":
      return t("errors.malformed");
    case "unknown_account":
      return t("errors.unknown");
    case "already_holder":
      return t(`errors.alreadyHolder.${type}`, { customerId: error.customerId });
    case "not_allowed":
      return t("errors.notAllowed");
    case "pending_request_exists":
      return t("errors.pending", { id: error.pendingRequestId });
    case "billing_payments_overdue":
      return t("errors.billingOverdue");
  }
}
