import { z } from "zod";
import { LANGUAGES } from "@/db/schema";
import { normalizeProfileName } from "./normalize-name";
import { hasControlOrInvisibleCharacter } from "./visible-text";

/** How long a link to confirm a new e-mail address works. */
export const EMAIL_CHANGE_TTL_MS = 24 * 60 * 60 * 1000;

/** Wrong tokens after which a pending e-mail change is locked until a new link is requested. */
export const EMAIL_CHANGE_MAX_ATTEMPTS = 5;

/**
 * An e-mail address as typed: trimmed, lower-cased (accounts keep addresses in lower case), valid.
 * A control or invisible character left after trimming refuses it, whatever the address syntax
 * check would allow: an address that looks like another must not become a sign-in name.
 */
export const emailAddressSchema = z
  .string()
  .trim()
  .refine((address) => !hasControlOrInvisibleCharacter(address))
  .transform((address) => address.toLowerCase())
  .pipe(z.email().max(254));

/** The account holder's name as shown to other contacts and in e-mails; see normalizeProfileName. */
export const profileNameSchema = z.string().transform((raw, context) => {
  const result = normalizeProfileName(raw);
  if (result.ok) return result.name;
  context.addIssue({ code: "custom", message: result.reason });
  return z.NEVER;
});

/** The language of the interface and of the e-mails the account receives. */
export const languageSchema = z.enum(LANGUAGES);
