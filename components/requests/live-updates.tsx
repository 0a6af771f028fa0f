"use client";

import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import type { LiveRequestState } from "@/lib/requests/read-live-states";

/** How often a visible page asks: another party's answer shows within this and a render. */
export const LIVE_POLL_MS = 3_000;
/** After a failed poll (server restarting, network gone) the page waits longer before asking again. */
const LIVE_RETRY_MS = 15_000;

/**
 * Follows the pending requests a page shows (SPEC.md "Bulk change and live state"): every few
 * seconds, while the tab is visible, it asks /api/live/requests for their states and, when one
 * moved on (an answer, an end), re-renders the page from the server (`router.refresh()`, which
 * keeps what the user typed) and says what changed in a polite live region. Reading the database,
 * it sees answers given on any instance.
 */
export function LiveUpdates({ watched }: { watched: LiveRequestState[] }) {
  const t = useTranslations("Requests");
  const router = useRouter();
  const [announcement, setAnnouncement] = useState("");
  const known = useRef(watched);
  const ids = watched
    .filter((r) => r.state === "pending")
    .map((r) => r.id)
    .join(",");

  // A server render (after our refresh, or the user's own action) brings the new baseline.
  useEffect(() => {
    known.current = watched;
  }, [watched]);

  useEffect(() => {
    if (!ids) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const controller = new AbortController();

    const poll = async () => {
      timer = undefined;
      if (document.hidden) return;
      let next = LIVE_POLL_MS;
      try {
        const response = await fetch(`/api/live/requests?ids=${ids}`, {
          cache: "no-store",
          signal: controller.signal,
        });
        if (response.status === 401) return; // Signed out elsewhere: the next navigation says so.
        if (!response.ok) throw new Error(`live state: ${response.status}`);
        const { requests } = (await response.json()) as { requests: LiveRequestState[] };
        const changed = requests.filter((now) => {
          const before = known.current.find((r) => r.id === now.id);
          return before && (before.state !== now.state || before.step !== now.step);
        });
        if (changed.length > 0) {
          known.current = known.current.map((r) => requests.find((now) => now.id === r.id) ?? r);
          setAnnouncement(
            changed
              .map((r) =>
                r.state === "pending"
                  ? t("live.answered", { id: r.id })
                  : t("live.changed", { id: r.id, state: t(`states.${r.state}`) }),
              )
              .join(" "),
          );
          router.refresh();
        }
      } catch {
        if (controller.signal.aborted) return;
        next = LIVE_RETRY_MS;
      }
      if (!controller.signal.aborted) timer = setTimeout(poll, next);
    };
    const onVisibility = () => {
      if (!document.hidden && timer === undefined) void poll();
    };

    timer = setTimeout(poll, LIVE_POLL_MS);
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      controller.abort();
      if (timer !== undefined) clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [ids, router, t]);

  return (
    <div aria-live="polite" className="sr-only">
      {announcement}
    </div>
  );
}
