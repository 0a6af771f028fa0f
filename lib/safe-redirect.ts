/** Keeps a post-sign-in destination on this site: a path, never another origin. */
export function safeCallbackPath(value: unknown, fallback = "/contacts"): string {
  if (
    typeof value !== "string" ||
    !value.startsWith("/") ||
    value.startsWith("//") ||
    value.startsWith("/\\") ||
    // Browsers drop tabs and line breaks from URLs, so "/\t/evil.example" means "//evil.example".
    /[\t\n\r]/.test(value)
  ) {
    return fallback;
  }
  if (value.startsWith("/login") || value.startsWith("/api/")) return fallback;
  return value;
}
