import { getDb } from "@/db/client";
import { checkHealth } from "./check-health";

// Read at every request: a health check answered from a cache would say nothing.
export const dynamic = "force-dynamic";

/**
 * `GET /api/health`: 200 `{"status":"ok","database":"ok","migrations":"current",…}` when the
 * database answers and carries every migration of this build, else 503 `{"status":"error",…}`.
 * Public (no session) for load balancers and probes; the body never holds an error's text.
 */
export async function GET(): Promise<Response> {
  const report = await checkHealth(getDb);
  return Response.json(report, {
    status: report.status === "ok" ? 200 : 503,
    headers: { "cache-control": "no-store" },
  });
}
