import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: [
      "lib/**/*.test.ts",
      "lib/**/*.test.tsx",
      "db/**/*.test.ts",
      "scripts/**/*.test.ts",
      "e2e/**/*.unit.test.ts",
      "app/**/*.test.ts",
    ],
    environment: "node",
    // Password hashing and child processes are slow when CI runs browsers beside them.
    testTimeout: 20_000,
  },
});
