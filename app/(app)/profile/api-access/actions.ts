"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getDb } from "@/db/client";
import { MAX_ROW_ID } from "@/db/row-id";
import { createApiApplication } from "@/lib/api/auth/create-api-application";
import type { CreateApiApplicationRefusalReason } from "@/lib/api/auth/reason-codes";
import { revokeApiApplication } from "@/lib/api/auth/revoke-api-application";
import { revokeConsumerKey } from "@/lib/api/auth/revoke-consumer-key";
import { parseForm } from "@/lib/parse-form";
import { requireAccount } from "@/lib/session";

export type CreateApplicationState =
  | { status: "idle" }
  /** The secret is shown this once: only its encrypted form is kept. */
  | { status: "created"; name: string; applicationKey: string; applicationSecret: string }
  | { status: "error"; reason: "invalid_form" | CreateApiApplicationRefusalReason };

const createSchema = z.object({
  name: z.string().max(1000),
  description: z.string().max(5000).default(""),
});

/** "Create application": a new application key and secret, which act for no one until a consumer key is approved. */
export async function createApplicationAction(
  _previous: unknown,
  formData: unknown,
): Promise<CreateApplicationState> {
  const account = await requireAccount();
  const parsed = parseForm(createSchema, formData);
  if (!parsed.ok) return { status: "error", reason: "invalid_form" };
  const result = await createApiApplication(getDb(), { accountId: account.id, ...parsed.data });
  if (!result.ok) return { status: "error", reason: result.reason };
  revalidatePath("/profile");
  return {
    status: "created",
    name: parsed.data.name.trim(),
    applicationKey: result.applicationKey,
    applicationSecret: result.applicationSecret,
  };
}

const revokeSchema = z.object({ id: z.coerce.number().int().positive().max(MAX_ROW_ID) });

/** Revokes one of the account's applications, and with it every consumer key it was given. */
export async function revokeApplicationAction(formData: FormData): Promise<void> {
  const account = await requireAccount();
  const parsed = parseForm(revokeSchema, formData);
  if (!parsed.ok) return;
  await revokeApiApplication(getDb(), { accountId: account.id, applicationId: parsed.data.id });
  revalidatePath("/profile");
}

/** Revokes a consumer key that acts for the account: the application loses that access at once. */
export async function revokeConsumerKeyAction(formData: FormData): Promise<void> {
  const account = await requireAccount();
  const parsed = parseForm(revokeSchema, formData);
  if (!parsed.ok) return;
  await revokeConsumerKey(getDb(), { accountId: account.id, consumerKeyId: parsed.data.id });
  revalidatePath("/profile");
}
