import { notFound } from "next/navigation";
import { requireAccount } from "@/lib/session";

// The baseline of `npm run bench`: the signed-in shell (session check and header) with
// nothing else. It exists only when the server runs with BENCH_PAGES=1.
export default async function BenchBarePage() {
  if (process.env.BENCH_PAGES !== "1") notFound();
  await requireAccount();
  return <h1 className="text-2xl font-semibold">Bench</h1>;
}
