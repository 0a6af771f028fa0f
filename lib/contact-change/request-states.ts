import type { RequestState } from "./vocabulary";

/** The states a request can end in; none of them leads anywhere. */
export type FinalState = Exclude<RequestState, "pending">;

/** Which state may follow which: only a pending request moves, and only once. */
export const REQUEST_TRANSITIONS: Readonly<Record<RequestState, readonly RequestState[]>> = {
  pending: ["done", "refused", "expired", "cancelled"],
  done: [],
  refused: [],
  expired: [],
  cancelled: [],
};

/** Whether a request in state `from` may move to `to`. */
export function canTransition(from: RequestState, to: RequestState): boolean {
  return REQUEST_TRANSITIONS[from].includes(to);
}

/** Thrown by assertTransition: reaching it is a bug, never a rule refusal a user can cause. */
export class InvalidTransitionError extends Error {
  constructor(
    readonly from: RequestState,
    readonly to: RequestState,
  ) {
    super(`A contact change request cannot go from ${from} to ${to}.`);
    this.name = "InvalidTransitionError";
  }
}

/**
 * Guards the write of a new state. It throws rather than returning a reason because the decide*
 * functions have already refused every transition a user can ask for.
 */
export function assertTransition(from: RequestState, to: RequestState): void {
  if (!canTransition(from, to)) throw new InvalidTransitionError(from, to);
}

/** Whether `state` ends a request. */
export function isFinalState(state: RequestState): state is FinalState {
  return REQUEST_TRANSITIONS[state].length === 0;
}

/** Milliseconds in a day; expiry counts whole 24-hour days from creation. */
export const DAY_MS = 86_400_000;

/** When a request created at `createdAt` expires, `days` days later. */
export function expiresAt(createdAt: Date, days: number): Date {
  return new Date(createdAt.getTime() + days * DAY_MS);
}

/** The stored state of a request and its deadline. */
export interface StoredRequestState {
  state: RequestState;
  expiresAt: Date;
}

/**
 * The state a request has at `now`. Expiry is checked on read, so a pending request past its
 * deadline reads as expired before any job has written that down; from `expiresAt` on it is late.
 */
export function effectiveState(request: StoredRequestState, now: Date): RequestState {
  return request.state === "pending" && now.getTime() >= request.expiresAt.getTime()
    ? "expired"
    : request.state;
}

/** Whether the request is stored as pending but has expired at `now`, so the expiry must be written. */
export function shouldExpire(request: StoredRequestState, now: Date): boolean {
  return request.state === "pending" && effectiveState(request, now) === "expired";
}
