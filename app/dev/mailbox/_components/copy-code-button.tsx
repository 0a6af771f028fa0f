"use client";

import { useRef, useState } from "react";

/**
 * The e-mail's validation code with a "Copy code" button beside it (a button inside the e-mail
 * cannot run script). Where the clipboard API is missing or refused (a plain-HTTP address other
 * than localhost), the code is selected instead, for Ctrl+C. Both outcomes are announced.
 */
export function CopyCode({
  code,
  labels,
}: {
  code: string;
  labels: { code: string; copy: string; copied: string; selected: string };
}) {
  const codeRef = useRef<HTMLElement>(null);
  const [announcement, setAnnouncement] = useState("");

  async function copy() {
    setAnnouncement("");
    try {
      await navigator.clipboard.writeText(code);
      setAnnouncement(labels.copied);
    } catch {
      if (codeRef.current) window.getSelection()?.selectAllChildren(codeRef.current);
      setAnnouncement(labels.selected);
    }
  }

  return (
    <div className="mt-3 flex flex-wrap items-center gap-2 text-sm">
      <span className="text-slate-600">{labels.code}</span>
      <code ref={codeRef} className="rounded bg-slate-100 px-2 py-1 font-mono">
        {code}
      </code>
      <button
        type="button"
        onClick={copy}
        className="rounded-md border border-slate-300 bg-white px-3 py-1 hover:bg-slate-100"
      >
        {labels.copy}
      </button>
      <span role="status" className="text-slate-600">
        {announcement}
      </span>
    </div>
  );
}
