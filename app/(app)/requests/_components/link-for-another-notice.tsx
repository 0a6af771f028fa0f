import { switchAccountAction } from "../actions";

/**
 * What a request's or a batch's page says when its e-mailed link's code was sent to another
 * account: `message`, and "Switch account", which signs out and comes back to the same page.
 */
export function LinkForAnotherNotice({
  message,
  switchLabel,
  back,
}: {
  message: string;
  switchLabel: string;
  /** Where "Switch account" returns after signing in. */
  back: { requestId: number } | { batchId: number };
}) {
  const [name, value] = "requestId" in back ? ["requestId", back.requestId] : ["batchId", back.batchId];
  return (
    <div className="mt-4 max-w-3xl rounded-md border border-amber-300 bg-amber-50 p-4 text-amber-900">
      <p>{message}</p>
      <form action={switchAccountAction} className="mt-3">
        <input type="hidden" name={name} value={value} />
        <button
          type="submit"
          className="rounded-md border border-amber-400 bg-white px-3 py-1.5 font-medium hover:bg-amber-100"
        >
          {switchLabel}
        </button>
      </form>
    </div>
  );
}
