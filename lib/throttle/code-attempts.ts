import type { Db } from "@/db/client";
import { throttleKeyOfAddress } from "@/lib/client-address";
import { type Reservation, reserveAttempt } from "./reserve-attempt";
import { CODES_PER_ACCOUNT, CODES_PER_CLIENT } from "./throttle-policy";

/** The throttle scope of validation codes typed by signed-in users (requests, e-mail changes). */
export const CODE_SCOPE = "code";

/**
 * Reserves one code attempt for the signed-in account and its client address, before the code
 * is checked. Each code also locks on its own after 5 wrong tries; this bounds guessing across
 * many requests. Release the reservation when the code was right.
 */
export async function reserveCodeAttempt(
  db: Db,
  { accountId, clientAddress, now }: { accountId: number; clientAddress: string; now?: Date },
): Promise<Reservation> {
  return reserveAttempt(db, {
    scope: CODE_SCOPE,
    keys: [
      { key: `account:${accountId}`, policy: CODES_PER_ACCOUNT },
      { key: `client:${throttleKeyOfAddress(clientAddress)}`, policy: CODES_PER_CLIENT },
    ],
    now,
  });
}
