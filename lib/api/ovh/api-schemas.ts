import { z } from "zod";
import { API_AUTH_ERROR_CODES } from "@/lib/api/auth/reason-codes";
import { parseCustomerId } from "@/lib/customer-id";
import { API_ERROR_CODES } from "./api-response";
import { OVH_CONTACT_TYPES, OVH_TASK_STATES } from "./ovh-vocabulary";

/**
 * The zod schemas of the API: they validate what comes in (path parameters, query, body) and
 * describe what goes out, and openapi.ts turns the same schemas into the OpenAPI document. Field
 * names and descriptions are OVH's (OVH-REFERENCE.md §1).
 */

/** A customer ID (NIC handle) as OVH's `coreTypes.AccountId`. */
const accountId = (description: string) => z.string().meta({ description, examples: ["aa123456-ovh"] });

/** A date and time, ISO 8601 in UTC. */
const dateTime = (description: string) => z.iso.datetime().meta({ description });

/**
 * A task id in the path: digits only (a `long`). Any number of digits passes here; one too large
 * to name a row reads as an absent task (404), as OVH answers for an id it does not have.
 */
export const taskIdParamsSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[0-9]{1,20}$/, "must be a positive integer")
    .transform(Number)
    .meta({ type: "integer", format: "int64", description: "The task's id" }),
});

/** The name of a service in the path (a domain, `vps-42.example.net`…), URL-decoded. */
export const serviceNameParamsSchema = z.strictObject({
  serviceName: z
    .string()
    .min(1, "must not be empty")
    .max(255, "is too long")
    // PostgreSQL refuses NUL in text: a `%00` would otherwise end in a 500.
    .refine((name) => !name.includes("\u0000"), "must not contain a NUL character")
    .meta({ description: "The internal name of your service", examples: ["example.pl"] }),
});

/** A customer ID filter, read as the edit form reads one (trimmed, any case). */
const customerIdFilter = (description: string) =>
  z
    .string()
    .transform((value, context) => {
      const parsed = parseCustomerId(value);
      if (parsed === null) {
        context.addIssue({ code: "custom", message: "is not a customer ID (like aa123456-ovh)" });
        return z.NEVER;
      }
      return parsed;
    })
    .meta({ description, examples: ["aa123456-ovh"] });

/** `GET /me/task/contactChange`'s filters, all optional; several narrow the list together. */
export const taskListQuerySchema = z.strictObject({
  state: z
    .enum(OVH_TASK_STATES, { error: `must be one of ${OVH_TASK_STATES.join(", ")}` })
    .optional()
    .meta({ description: "Filter the value of state property (=)" }),
  askingAccount: customerIdFilter("Filter the value of askingAccount property (=)").optional(),
  toAccount: customerIdFilter("Filter the value of toAccount property (=)").optional(),
});

/** `POST …/accept` and `…/refuse`. */
export const taskTokenBodySchema = z
  .strictObject({
    // No length limit, as on the page: an over-long code is a wrong code like any other.
    token: z
      .string()
      .trim()
      .min(1, "must not be empty")
      .meta({ description: "The token you received by email for this request" }),
  })
  .meta({ description: "The validation code e-mailed to you for this task" });

/** `POST /{serviceType}/{serviceName}/changeContact`. A field naming its current holder changes nothing. */
export const changeContactBodySchema = z
  .strictObject({
    contactAdmin: accountId("The contact to set as admin contact").optional(),
    contactTech: accountId("The contact to set as tech contact").optional(),
    contactBilling: accountId("The contact to set as billing contact").optional(),
  })
  .meta({
    description:
      "The customer IDs to set. A field left out, or naming the account that holds the contact now, asks for no change.",
  });

/** `nichandle.contactChange.Task`. */
export const taskSchema = z
  .strictObject({
    id: z.int().meta({ format: "int64" }),
    askingAccount: accountId("Account who asked the contact change").nullable(),
    contactTypes: z.array(z.enum(OVH_CONTACT_TYPES)).meta({ description: "Contacts to be changed" }),
    dateRequest: dateTime("Date at which the request has been made"),
    dateDone: dateTime("Date at which the contact change has been finished").nullable(),
    fromAccount: accountId("Account to change contact from"),
    toAccount: accountId("Account to change contact to"),
    serviceDomain: z.string().nullable().meta({ description: "The service on which the task runs" }),
    state: z.enum(OVH_TASK_STATES).meta({ description: "Current state of the request" }),
  })
  .meta({ description: "Task running a contact change on a service" });
export type Task = z.infer<typeof taskSchema>;

/** A list of task ids, newest first. */
export const taskIdsSchema = z.array(z.int().meta({ format: "int64" }));

/** `services.Service`, as far as this app knows a service. */
export const serviceInfosSchema = z
  .strictObject({
    contactAdmin: accountId("The admin contact"),
    contactTech: accountId("The tech contact"),
    contactBilling: accountId("The billing contact"),
    domain: z.string().meta({ description: "The service's name" }),
    serviceId: z.int().meta({ format: "int64" }),
    status: z.enum(["ok"]).meta({ description: "The service's state" }),
    creation: z.iso.date().meta({ description: "Creation date" }),
  })
  .meta({ description: "Details about a service" });
export type ServiceInfos = z.infer<typeof serviceInfosSchema>;

/** `nichandle.Nichandle`, the account signed in. */
export const meSchema = z
  .strictObject({
    nichandle: accountId("Customer identifier"),
    email: z.email().meta({ description: "E-mail address" }),
    name: z.string().meta({ description: "Customer name" }),
    language: z.string().meta({ description: "Preferred language", examples: ["en_GB", "pl_PL"] }),
  })
  .meta({ description: "Details about your OVH identifier" });
export type Me = z.infer<typeof meSchema>;

/** Answer of OVH's `void` calls. */
export const voidSchema = z.null();

/** Every error, in OVH's shape. */
export const errorSchema = z
  .strictObject({
    message: z.string().meta({ description: "What went wrong, for a person" }),
    errorCode: z
      .enum([...API_ERROR_CODES, ...API_AUTH_ERROR_CODES])
      .meta({ description: "What went wrong, for a script" }),
    details: z
      .record(z.string(), z.string())
      .optional()
      .meta({ description: "Per field, the reason it was refused (changeContact)" }),
  })
  .meta({ description: "An error" });
