import { getDb } from "@/db/client";
import { parseLiveIds } from "@/lib/requests/parse-live-ids";
import { readLiveStates } from "@/lib/requests/read-live-states";
import { getCurrentAccount } from "@/lib/session";

export const dynamic = "force-dynamic";

const NO_STORE = { "cache-control": "no-store" };

/**
 * `GET /api/live/requests?ids=1,2,3`: the state of each request the signed-in account may see
 * (`{requests: [{id, state, step}]}`), polled by pages that show pending requests so another
 * party's answer appears without a reload. Others' requests are left out as if absent.
 */
export async function GET(request: Request): Promise<Response> {
  const account = await getCurrentAccount();
  if (!account) return Response.json({ message: "Sign in first." }, { status: 401, headers: NO_STORE });
  const parsed = parseLiveIds(new URL(request.url).searchParams.get("ids"));
  if (!parsed.ok) return Response.json({ message: parsed.message }, { status: 400, headers: NO_STORE });
  const requests = await readLiveStates(getDb(), { accountId: account.id, ids: parsed.ids });
  return Response.json({ requests }, { headers: NO_STORE });
}
