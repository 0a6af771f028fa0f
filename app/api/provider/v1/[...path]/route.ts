import { getDb } from "@/db/client";
import { handleProviderRequest } from "@/lib/provider/api/handle-provider-request";

// Every answer is computed for its caller: nothing here may be cached.
export const dynamic = "force-dynamic";

/** The provisioning API (lib/provider/api/): for the provider's systems, with a bearer token. */
function answer(request: Request): Promise<Response> {
  return handleProviderRequest(getDb(), request);
}

export const GET = answer;
export const PUT = answer;
export const POST = answer;
export const DELETE = answer;
export const PATCH = answer;
