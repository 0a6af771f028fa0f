import type { z } from "zod";
import type { Db } from "@/db/client";
import type { AuthenticatedToken } from "@/lib/provider/auth";
import type { ProviderScope } from "@/lib/provider/vocabulary";
import type { ProviderResponse } from "./provider-api-response";

export type ProviderMethod = "GET" | "PUT" | "POST" | "DELETE";

/** What a handler gets: the call, authenticated and in scope, its parts validated by the route's schemas. */
export type ProviderRouteContext<P, Q, B> = {
  db: Db;
  token: AuthenticatedToken;
  now: Date;
  params: P;
  query: Q;
  body: B;
  /** The body's lines, read as they arrive (routes whose body is `"ndjson"` only). */
  lines: AsyncIterable<string>;
};

type Output<S> = S extends z.ZodType ? z.output<S> : undefined;

export type ProviderRouteDefinition<
  P extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  B extends z.ZodType | undefined,
> = {
  method: ProviderMethod;
  /** The path under /api/provider/v1: literal segments and `{name}` parameters, one segment each. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  /** The scope the token needs. */
  scope: ProviderScope;
  params?: P;
  query?: Q;
  /** The JSON body's schema, or `"ndjson"` for a streamed application/x-ndjson body; none when absent. */
  body?: B | "ndjson";
  /** The success statuses the call answers (PUT: 201 created, 200 updated). */
  statuses: readonly (200 | 201 | 204)[];
  /** The schema of the success answer's body (none for 204). */
  response?: z.ZodType;
  /** The error statuses the call can answer besides 401, 403 and 429, for the document. */
  errors: readonly number[];
  handle: (context: ProviderRouteContext<Output<P>, Output<Q>, Output<B>>) => Promise<ProviderResponse>;
};

/** A route of the table, its types erased so routes of every shape sit in one list. */
export type ProviderRoute = Omit<
  ProviderRouteDefinition<undefined, undefined, undefined>,
  "params" | "query" | "body" | "handle"
> & {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType | "ndjson";
  handle: (context: ProviderRouteContext<unknown, unknown, unknown>) => Promise<ProviderResponse>;
};

/** Writes a route with its handler typed by its schemas. */
export function defineProviderRoute<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(route: ProviderRouteDefinition<P, Q, B>): ProviderRoute {
  return route as unknown as ProviderRoute;
}
