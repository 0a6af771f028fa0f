import { z } from "zod";
import { CONTACT_TYPES, SERVICE_TYPES } from "@/db/schema";

/** An account as an e-mail names it. */
export const accountRefSchema = z.object({
  customerId: z.string().min(1),
  name: z.string().min(1),
});
export type AccountRef = z.infer<typeof accountRefSchema>;

/** The contact types a request changes: at least one, no repeats. */
export const contactTypesSchema = z
  .array(z.enum(CONTACT_TYPES))
  .min(1)
  .refine((types) => new Set(types).size === types.length, "contact types repeat");

export const serviceTypeSchema = z.enum(SERVICE_TYPES);

/** Dates travel as ISO strings: props are stored as JSON in the outbox row. */
export const isoDateTimeSchema = z.iso.datetime({ offset: true });

/**
 * Where links point. Optional for callers: `enqueueEmail` stores `appBaseUrl()` so that
 * every retry renders the same links, whatever the sending process's environment.
 */
export const baseUrlSchema = z.url({ protocol: /^https?$/ }).optional();

/**
 * A one-time secret (validation code, e-mail token). Null once the message has gone out
 * through a real provider: only the hash may stay at rest.
 */
export const secretCodeSchema = z.string().min(1).nullable();
