import type { z } from "zod";
import type { Db } from "@/db/client";
import type { ApiResponse } from "./api-response";

/** The HTTP methods the API's routes use. */
export type ApiMethod = "GET" | "POST";

/** What a route's handler gets: the call, authenticated, with its parts validated by the route's schemas. */
export type RouteContext<P, Q, B> = {
  db: Db;
  /** The signed-in account the call acts for (the consumer key's). */
  accountId: number;
  clientAddress: string;
  now: Date;
  params: P;
  query: Q;
  body: B;
};

type Output<S> = S extends z.ZodType ? z.output<S> : undefined;

/** One route as written: its schemas type its handler's context. */
export type RouteDefinition<
  P extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  B extends z.ZodType | undefined,
> = {
  method: ApiMethod;
  /** OpenAPI's path template under /api/1.0: literal segments and `{name}` parameters, one segment each. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: readonly string[];
  /** An object schema with one key per `{name}` of the path (each a URL-decoded string). */
  params?: P;
  /** An object schema of the query string's parameters; none allowed when absent. */
  query?: Q;
  /** The JSON body's schema (an object); no body allowed when absent. */
  body?: B;
  /** The 200 answer's schema. */
  response: z.ZodType;
  /** The error statuses the call can answer, for the document. */
  errors: readonly number[];
  handle: (context: RouteContext<Output<P>, Output<Q>, Output<B>>) => Promise<ApiResponse>;
};

/** A route of the table, its types erased so routes of every shape sit in one list. */
export type ApiRoute = Omit<
  RouteDefinition<undefined, undefined, undefined>,
  "params" | "query" | "body" | "handle"
> & {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  handle: (context: RouteContext<unknown, unknown, unknown>) => Promise<ApiResponse>;
};

/** Writes a route with its handler typed by its schemas. */
export function defineRoute<
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(route: RouteDefinition<P, Q, B>): ApiRoute {
  return route as unknown as ApiRoute;
}

/** The names of a path template's `{name}` parameters, in order. */
export function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/\{([A-Za-z][A-Za-z0-9_]*)\}/g)].map((match) => match[1] as string);
}

/**
 * Matches a path's raw (still URL-encoded) segments against a template: the `{name}` segments'
 * raw values by name, or null when it does not match.
 */
export function matchPath(template: string, segments: readonly string[]): Record<string, string> | null {
  const parts = template.split("/").slice(1);
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of parts.entries()) {
    const segment = segments[i] as string;
    const name = /^\{([A-Za-z][A-Za-z0-9_]*)\}$/.exec(part)?.[1];
    if (name) params[name] = segment;
    else if (part !== segment) return null;
  }
  return params;
}
