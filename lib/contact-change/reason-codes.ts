/**
 * Every reason code the domain returns, grouped by the decision that returns it. The UI
 * translates the codes; lib/i18n/messages.test.ts checks that every one has a message in each
 * language.
 */

/** Why a submission of the edit form plans no request at all. */
export const PLAN_REFUSAL_REASONS = [
  /** The actor holds no contact of the service. The caller answers 404 so the service's existence is not revealed. */
  "not_a_contact",
  /** Every proposed account already holds its contact type. */
  "nothing_to_change",
  /** At least one field is refused; see the per-field errors. Nothing is planned (all or nothing). */
  "invalid_fields",
] as const;
/** Why a submission of the edit form plans no request at all. */
export type PlanRefusalReason = (typeof PLAN_REFUSAL_REASONS)[number];

/** Why one field (contact type) of the edit form is refused. */
export const FIELD_ERROR_REASONS = [
  /** The actor's roles do not allow this change of this contact type (whatever was typed). */
  "not_allowed",
  /** The text typed is not a customer ID. */
  "malformed_customer_id",
  /** No account has the customer ID typed. */
  "unknown_account",
  /** The field was edited to name the account that already holds the contact; the error names it. */
  "already_holder",
  /** A pending request already changes this contact type of the service; the error names it. */
  "pending_request_exists",
  /**
   * The current billing contact or the actor has an overdue invoice; one code for both. The new
   * contact is not checked here: their standing is theirs to learn when they accept
   * (`payments_overdue`), never the asker's.
   */
  "billing_payments_overdue",
] as const;
/** Why one field (contact type) of the edit form is refused. */
export type FieldErrorReason = (typeof FIELD_ERROR_REASONS)[number];

/** Why a confirmer's accept or refuse is not taken. */
export const CONFIRMATION_REFUSAL_REASONS = [
  /** The signed-in account is not among the request's confirmers. */
  "not_a_confirmer",
  /** The request ran out of time; the caller records the expiry if it is still stored as pending. */
  "expired",
  /** The request already ended (done, refused or cancelled). */
  "not_pending",
  /** This confirmer already accepted or refused; tokens are single-use. */
  "already_answered",
  /** Too many wrong codes; the token works again only after a resend. */
  "locked",
  /** The code does not match; the caller counts the failed attempt. */
  "wrong_code",
  /**
   * The new contact of a billing change accepted while they have an overdue invoice. Told only
   * to them: nothing is recorded, the code stays valid, the request keeps waiting for them, so
   * they can pay and accept again, or refuse.
   */
  "payments_overdue",
] as const;
/** Why a confirmer's accept or refuse is not taken. */
export type ConfirmationRefusalReason = (typeof CONFIRMATION_REFUSAL_REASONS)[number];

/** Why the last confirmation cannot be applied: the request then ends cancelled with this reason. */
export const RECHECK_REFUSAL_REASONS = [
  /** The account that asked no longer holds a role that may ask for this change. */
  "requester_no_longer_allowed",
  /** The old contact no longer holds one of the request's contact types. */
  "old_contact_changed",
  /**
   * The current or the new billing contact has an overdue invoice when the last confirmation
   * comes (each was checked earlier: the current one when the request was made, the new one when
   * they accepted). One code for both, so it never says which.
   */
  "billing_payments_overdue",
] as const;
/** Why the last confirmation cannot be applied: the request then ends cancelled with this reason. */
export type RecheckRefusalReason = (typeof RECHECK_REFUSAL_REASONS)[number];

/** Why a request ended cancelled; stored in `change_requests.end_reason` and shown in its history. */
export const CANCEL_REASONS = [
  /** The account that asked, or the service's administrator, withdrew it. */
  "withdrawn",
  ...RECHECK_REFUSAL_REASONS,
  /** The provider removed the service (provisioning API): nothing is left to change. */
  "service_removed",
] as const;
/** Why a request ended cancelled; stored in `change_requests.end_reason` and shown in its history. */
export type CancelReason = (typeof CANCEL_REASONS)[number];

/** Why a resend or a cancel of a request is refused. */
export const REQUEST_ACTION_REFUSAL_REASONS = [
  /** The actor is not among the parties allowed this action (see REQUEST_ACTION_PARTIES). */
  "not_allowed",
  /** The request ran out of time. */
  "expired",
  /** The request already ended. */
  "not_pending",
  /** A resend went out less than RESEND_INTERVAL_MS ago. */
  "too_soon",
] as const;
/** Why a resend or a cancel of a request is refused. */
export type RequestActionRefusalReason = (typeof REQUEST_ACTION_REFUSAL_REASONS)[number];

/** Every reason code of the domain, for the UI's translation tables. */
export type ContactChangeReason =
  | PlanRefusalReason
  | FieldErrorReason
  | ConfirmationRefusalReason
  | RecheckRefusalReason
  | CancelReason
  | RequestActionRefusalReason;
