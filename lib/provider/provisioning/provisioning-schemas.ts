import { z } from "zod";
import { SERVICE_TYPES } from "@/lib/contact-change/vocabulary";
import { parseCustomerId } from "@/lib/customer-id";
import { LANGUAGES } from "@/lib/i18n/languages";
import { isPasswordHash } from "@/lib/password";

/**
 * What the provider's systems send (SPEC.md "Provider integration"): one account, one service, or
 * a line of a bulk import. The provisioning API and `npm run import` validate with these same
 * schemas, and the OpenAPI document is built from them.
 */

/** Text a person typed somewhere upstream: no NUL (PostgreSQL's text cannot hold one). */
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(max, "is too long")
    .refine((value) => !value.includes("\u0000"), "must not contain a NUL character");

/** A customer ID (NIC handle), trimmed, any case in, lower case out. */
export const customerIdSchema = z
  .string()
  .transform((value, context) => {
    const parsed = parseCustomerId(value);
    if (parsed === null) {
      context.addIssue({ code: "custom", message: "is not a customer ID (like aa123456-ovh)" });
      return z.NEVER;
    }
    return parsed;
  })
  .meta({ examples: ["aa123456-ovh"] });

/** Whether the account is up to date with its payments, as the provider's billing system knows. */
export const PAYMENT_STANDINGS = ["upToDate", "overdue"] as const;
export type PaymentStanding = (typeof PAYMENT_STANDINGS)[number];

/** An account as the provider puts it (`PUT /accounts/{customerId}`; the body omits the ID). */
export const accountBodySchema = z.strictObject({
  name: text(200).meta({ description: "The customer's name", examples: ["Anna Nowak"] }),
  email: z
    .email("is not an e-mail address")
    .max(254, "is too long")
    .transform((value) => value.toLowerCase())
    .meta({ description: "Where the customer's e-mails go; also a sign-in identifier" }),
  /**
   * The language the customer chose at the provider. Given, it is the account's choice (the panel
   * no longer follows the browser); left out, a new account follows the browser it signs in from
   * (English until then) and an existing one keeps what it has.
   */
  language: z
    .enum(LANGUAGES, { error: `must be one of ${LANGUAGES.join(", ")}` })
    .optional()
    .meta({ description: "The customer's chosen language; leave it out to follow their browser" }),
  paymentStanding: z
    .enum(PAYMENT_STANDINGS, { error: `must be one of ${PAYMENT_STANDINGS.join(", ")}` })
    .default("upToDate"),
  /**
   * A password hash in this app's own format (lib/password.ts), for a customer who signs in here;
   * without one an account cannot sign in with a password (the provider's single sign-on, later).
   * Never a password in clear.
   */
  passwordHash: z
    .string()
    .max(500, "is too long")
    .refine(isPasswordHash, "is not a password hash of this app (scrypt$32768$8$1$salt$key)")
    .optional(),
});
export type AccountBody = z.infer<typeof accountBodySchema>;
export type AccountInput = AccountBody & { customerId: string };

/** A service as the provider puts it (`PUT /services/{type}/{name}`; the body has the contacts). */
export const serviceBodySchema = z.strictObject({
  contactAdmin: customerIdSchema.meta({ description: "The administrator contact" }),
  contactTech: customerIdSchema.meta({ description: "The technical contact" }),
  contactBilling: customerIdSchema.meta({ description: "The billing contact" }),
});
export type ServiceBody = z.infer<typeof serviceBodySchema>;

export const serviceTypeSchema = z.enum(SERVICE_TYPES, {
  error: `must be one of ${SERVICE_TYPES.join(", ")}`,
});
export const serviceNameSchema = text(255).meta({ examples: ["example.pl"] });
export type ServiceKey = { type: (typeof SERVICE_TYPES)[number]; name: string };
export type ServiceInput = ServiceKey & ServiceBody;

/** One line of a bulk import (NDJSON): an account or a service, whole. */
export const importLineSchema = z.discriminatedUnion("kind", [
  accountBodySchema.extend({ kind: z.literal("account"), customerId: customerIdSchema }),
  serviceBodySchema.extend({
    kind: z.literal("service"),
    type: serviceTypeSchema,
    name: serviceNameSchema,
  }),
]);
export type ImportLine = z.infer<typeof importLineSchema>;
