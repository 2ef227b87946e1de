/**
 * Everything the end-to-end run needs that is not an npm dependency of the
 * project: Debian's Chromium, ripgrep and Kerberos headers, and code-server
 * (a real VS Code 1.100 on Node 20) cached in `.cache/code-server`, the way
 * `@vscode/test-electron` caches VS Code in `.vscode-test/`.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

export const CODE_SERVER_VERSION = "4.100.3";
/** code-server's @vscode/ripgrep dependency fetches this archive from GitHub unless its cache has it. */
const RIPGREP_CACHE = "vscode-ripgrep-cache-1.15.11";
const RIPGREP_ARCHIVE = "ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz";

/**
 * Debian packages: the browser for the UI checks, rg to seed the ripgrep cache,
 * krb5 headers and a compiler for code-server's native modules (kerberos, node-pty).
 */
const APT_PACKAGES = ["chromium", "ripgrep", "libkrb5-dev", "g++", "make", "python3"];

function installed(pkg: string): boolean {
  return spawnSync("dpkg", ["-s", pkg], { stdio: "ignore" }).status === 0;
}

/** Installs the Debian packages that are missing (CI starts from a clean machine). */
export function ensureSystemPackages(log: (s: string) => void): void {
  const missing = APT_PACKAGES.filter((p) => !installed(p));
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(
      `missing Debian packages: ${missing.join(" ")}; install them with: sudo apt-get install -y ${missing.join(" ")}`,
    );
  }
  log(`apt-get install ${missing.join(" ")}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  execFileSync("apt-get", ["install", "-y", "-qq", ...missing], { stdio: "inherit", env });
}

/** Where code-server's entry script is once installed under `cacheDir`. */
export function codeServerBin(cacheDir: string): string {
  return path.join(cacheDir, "node_modules", "code-server", "out", "node", "entry.js");
}

/**
 * Installs code-server into `cacheDir` unless a completed install is there.
 * A marker file written last tells a finished install from an interrupted one.
 */
export function ensureCodeServer(cacheDir: string, log: (s: string) => void): string {
  const marker = path.join(cacheDir, `.installed-${CODE_SERVER_VERSION}`);
  const bin = codeServerBin(cacheDir);
  if (existsSync(marker) && existsSync(bin)) return bin;
  log(
    `installing code-server ${CODE_SERVER_VERSION} into ${path.relative(process.cwd(), cacheDir)} (about 1.5 min, once)`,
  );
  rmSync(cacheDir, { recursive: true, force: true });
  const tmp = path.join(cacheDir, "tmp");
  const rgDir = path.join(tmp, "rg");
  mkdirSync(path.join(tmp, RIPGREP_CACHE), { recursive: true });
  mkdirSync(rgDir, { recursive: true });
  // Seed @vscode/ripgrep's download cache with Debian's rg: its postinstall would
  // otherwise download from GitHub, and a failed postinstall rolls back the whole install.
  execFileSync("cp", ["/usr/bin/rg", rgDir]);
  execFileSync("tar", ["czf", path.join(tmp, RIPGREP_CACHE, RIPGREP_ARCHIVE), "-C", rgDir, "rg"]);
  writeFileSync(path.join(cacheDir, "package.json"), '{ "private": true }\n');
  const env = { ...process.env, TMPDIR: tmp, npm_config_yes: "true" };
  const res = spawnSync(
    "npm",
    ["install", "--prefix", cacheDir, `code-server@${CODE_SERVER_VERSION}`, "--unsafe-perm", "--no-audit", "--no-fund"],
    { stdio: ["ignore", "inherit", "inherit"], env },
  );
  if (res.status !== 0 || !existsSync(bin)) {
    throw new Error(`installing code-server failed (npm exit ${res.status}); see the npm output above`);
  }
  writeFileSync(marker, `${new Date().toISOString()}\n`);
  return bin;
}
