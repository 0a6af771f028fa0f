import { useTranslations } from "next-intl";
import type { RequestState } from "@/db/schema";

const STYLE: Record<RequestState, string> = {
  pending: "bg-amber-100 text-amber-900",
  done: "bg-green-100 text-green-900",
  refused: "bg-red-100 text-red-900",
  expired: "bg-slate-200 text-slate-800",
  cancelled: "bg-slate-200 text-slate-800",
};

/** A request's state in words (SPEC.md's labels); synchronous, so a list renders it inline. */
export function StateBadge({ state }: { state: RequestState }) {
  const t = useTranslations("Requests.states");
  return <StateLabel state={state} label={t(state)} />;
}

/** The badge with its words given: a list translates the five states once, not once a row. */
export function StateLabel({ state, label }: { state: RequestState; label: string }) {
  return <span className={`rounded-full px-2.5 py-0.5 text-sm font-medium ${STYLE[state]}`}>{label}</span>;
}
