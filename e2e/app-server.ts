import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const TSX_CLI = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");

/** Another instance of the app, started as `npm start` starts it, on a database of its own. */
export type AppServer = {
  baseURL: string;
  databasePath: string;
  process: ChildProcess;
  /** Everything the server printed so far. */
  output: () => string;
  /** Sends a signal and waits for the process to exit; resolves with its exit code. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
};

/**
 * Starts `scripts/start.ts` with `env` on `port` (the build the main e2e server made is reused)
 * and waits until it answers. The process gets its own group so everything it started stops with it.
 */
export async function startAppServer({
  port,
  env = {},
  waitFor = "/login",
}: {
  port: number;
  env?: Record<string, string | undefined>;
  waitFor?: string | null;
}): Promise<AppServer> {
  const dataDir = path.join(ROOT, `.test-data/instance-${port}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  const databasePath = path.join(dataDir, "app.db");
  const baseURL = `http://localhost:${port}`;
  const childEnv: Record<string, string> = {};
  for (const [key, value] of Object.entries({
    ...process.env,
    PORT: String(port),
    DATABASE_PATH: databasePath,
    APP_URL: baseURL,
    RESEND_API_KEY: undefined,
    ...env,
  })) {
    if (value !== undefined) childEnv[key] = value;
  }
  const child = spawn(process.execPath, [TSX_CLI, "scripts/start.ts"], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: childEnv as NodeJS.ProcessEnv,
  });
  let printed = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    printed += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    printed += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

  const stop = async (signal: NodeJS.Signals = "SIGTERM") => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    try {
      process.kill(child.pid as number, signal);
    } catch {
      // Already gone.
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-(child.pid as number), "SIGKILL");
      } catch {
        // Already gone.
      }
    }, 30_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  const server: AppServer = { baseURL, databasePath, process: child, output: () => printed, stop };
  if (waitFor === null) return server;

  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the app on port ${port} exited early:\n${printed}`);
    try {
      const response = await fetch(`${baseURL}${waitFor}`, { redirect: "manual" });
      if (response.status < 500) return server;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop("SIGKILL");
  throw new Error(`the app on port ${port} did not answer in time:\n${printed}`);
}
