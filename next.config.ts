import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

const nextConfig: NextConfig = {
  serverExternalPackages: ["better-sqlite3", "pino"],
  poweredByHeader: false,
  typedRoutes: false,
  // `npm run typecheck` (tsc over the whole project, scripts and tests too) runs before the
  // build in CI; checking again inside `next build` only doubles the work.
  typescript: { ignoreBuildErrors: true },
  // Headers every response carries; the Content-Security-Policy (with a per-request nonce) and
  // HSTS are set by proxy.ts, which knows the request and the configured base URL.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          // Codes never sit in a URL (proxy.ts moves them to a cookie); this keeps paths and
          // queries from leaving the site all the same. Same-origin posts keep their Origin.
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
        ],
      },
    ];
  },
};

export default createNextIntlPlugin("./i18n/request.ts")(nextConfig);
