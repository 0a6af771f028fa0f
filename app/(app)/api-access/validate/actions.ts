"use server";

import { z } from "zod";
import { getDb } from "@/db/client";
import { decideApiCredential } from "@/lib/api/auth/decide-api-credential";
import { parseForm } from "@/lib/parse-form";
import { requireAccount } from "@/lib/session";

export type DecideCredentialState =
  | { status: "idle" }
  | { status: "decided"; approved: boolean }
  | {
      status: "error";
      reason: "invalid_form" | "not_found" | "expired" | "already_decided" | "application_revoked";
    };

const decideSchema = z.object({
  credentialToken: z.string().min(1).max(200),
  decision: z.enum(["authorize", "refuse"]),
});

/** The signed-in account authorizes (or refuses) a consumer key to act for it. */
export async function decideCredentialAction(
  _previous: unknown,
  formData: unknown,
): Promise<DecideCredentialState> {
  const account = await requireAccount();
  const parsed = parseForm(decideSchema, formData);
  if (!parsed.ok) return { status: "error", reason: "invalid_form" };
  const approve = parsed.data.decision === "authorize";
  const result = await decideApiCredential(getDb(), {
    credentialToken: parsed.data.credentialToken,
    accountId: account.id,
    approve,
  });
  // No revalidation: it would render this page again, which then shows the request as answered
  // instead of the outcome; the profile page is rendered at every visit anyway.
  if (!result.ok) return { status: "error", reason: result.reason };
  return { status: "decided", approved: approve };
}
