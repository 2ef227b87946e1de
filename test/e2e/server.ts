/**
 * Starts code-server isolated from the user's own setup (its own XDG, user-data
 * and extensions folders under a temporary run folder) and stops it with its
 * whole process group, since the file watcher and extension host outlive a plain kill.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

export interface CodeServer {
  readonly url: string;
  readonly port: number;
  /** Everything it printed, for failure messages. */
  readonly output: () => string;
  stop(): Promise<void>;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      srv.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** The environment that keeps code-server, its extension host and Chromium out of $HOME. */
export function isolatedEnv(runDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const xdg = path.join(runDir, "xdg");
  const tmp = path.join(runDir, "tmp");
  mkdirSync(xdg, { recursive: true });
  mkdirSync(tmp, { recursive: true });
  return {
    ...process.env,
    HOME: path.join(runDir, "home"),
    XDG_CONFIG_HOME: xdg,
    XDG_DATA_HOME: xdg,
    XDG_CACHE_HOME: xdg,
    TMPDIR: tmp,
    ...extra,
  };
}

function dirs(runDir: string) {
  return { data: path.join(runDir, "data"), exts: path.join(runDir, "exts") };
}

/** Installs a packaged .vsix into the run's extensions folder (code-server cannot install from a folder). */
export function installVsix(bin: string, runDir: string, vsix: string): void {
  const { data, exts } = dirs(runDir);
  execFileSync(
    process.execPath,
    [bin, "--user-data-dir", data, "--extensions-dir", exts, "--install-extension", vsix, "--force"],
    { env: isolatedEnv(runDir), stdio: "pipe", timeout: 60_000 },
  );
}

export async function startCodeServer(
  bin: string,
  runDir: string,
  env: Record<string, string> = {},
): Promise<CodeServer> {
  const { data, exts } = dirs(runDir);
  mkdirSync(path.join(data, "User"), { recursive: true });
  writeFileSync(
    path.join(data, "User", "settings.json"),
    JSON.stringify({
      "security.workspace.trust.enabled": false,
      "workbench.startupEditor": "none",
      "workbench.tips.enabled": false,
      "extensions.ignoreRecommendations": true,
      "telemetry.telemetryLevel": "off",
      "update.mode": "none",
      // Hovers come up faster and stay put for the UI checks.
      "editor.hover.delay": 100,
      "editor.hover.sticky": true,
    }),
  );
  const port = await freePort();
  const args = [
    bin,
    "--user-data-dir",
    data,
    "--extensions-dir",
    exts,
    "--auth",
    "none",
    "--bind-addr",
    `127.0.0.1:${port}`,
    "--disable-telemetry",
    "--disable-update-check",
    "--disable-workspace-trust",
    "--disable-getting-started-override",
  ];
  let output = "";
  // detached: its own process group, so stop() can end the extension host and watcher too.
  const child: ChildProcess = spawn(process.execPath, args, {
    env: isolatedEnv(runDir, env),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (b: Buffer) => {
    output += b.toString();
  });
  child.stderr?.on("data", (b: Buffer) => {
    output += b.toString();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;

  const stop = async () => {
    if (child.pid === undefined || child.exitCode !== null) return;
    const group = -child.pid;
    const signal = (sig: NodeJS.Signals) => {
      try {
        process.kill(group, sig);
      } catch {
        // Already gone.
      }
    };
    signal("SIGTERM");
    const timeout = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 3000).unref());
    if ((await Promise.race([exited, timeout])) === "timeout") signal("SIGKILL");
    // Children may outlive the leader; SIGKILL whatever is left of the group.
    signal("SIGKILL");
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`code-server exited with code ${child.exitCode} before it was ready:\n${output}`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer ${url}/healthz within 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, port, output: () => output, stop };
}
