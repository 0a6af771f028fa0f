import { PROVIDER_TOKEN_PATTERN } from "@/lib/provider/auth/provider-tokens";

/** The one path whose body may be larger than MAX_BODY_BYTES, and chunked: the bulk import. */
export const IMPORT_PATH = "/api/provider/v1/import";

/**
 * Whether the app's server (scripts/serve.ts) lets a request's body through without its size
 * limit: a POST to the import, exactly that path, carrying a provisioning token. The handler
 * checks the token before it reads a byte, so a stranger cannot make the app read gigabytes; every
 * other request keeps the limit.
 */
export function isStreamedImport(request: {
  method: string | undefined;
  url: string | undefined;
  authorization: string | undefined;
}): boolean {
  if (request.method !== "POST" || request.url === undefined) return false;
  const path = request.url.split("?")[0];
  const token = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(request.authorization ?? "")?.[1];
  return path === IMPORT_PATH && token !== undefined && PROVIDER_TOKEN_PATTERN.test(token);
}
