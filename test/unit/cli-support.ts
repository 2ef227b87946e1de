/**
 * Runs the built `mailpolicy` command as users run it (`node dist/cli.js ...`), for the
 * CLI tests. `useCli()` builds once before a test file and gives it a scratch directory.
 */
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before } from "node:test";

export const root = path.resolve(__dirname, "../..");
const cliPath = path.join(root, "dist", "cli.js");
export const example = "examples/mx1.mailpolicy.yaml";
export const exampleText = fs.readFileSync(path.join(root, example), "utf8");
export const CJK = /[\u4e00-\u9fff]/;

/** A policy with one error: `imapz` is not a service (line 5, columns 14-19). */
export const BROKEN = `mailpolicy: 1
inbound:
  default: drop
  rules:
    - allow: imapz
      from: any
targets:
  iptables: {}
`;

export interface Result {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in the repository root with an English locale unless `env` says otherwise. */
export function cli(args: readonly string[], options: { env?: Record<string, string>; input?: string } = {}): Result {
  const env: Record<string, string | undefined> = { ...process.env, LC_ALL: "", LC_MESSAGES: "", LANG: "C" };
  delete env.MAILPOLICY_DEBUG;
  const r = spawnSync(process.execPath, [cliPath, ...args], {
    cwd: root,
    env: { ...env, ...options.env },
    input: options.input,
    encoding: "utf8",
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The failure shape for bad usage and unreadable input: status 2, one line, no stack trace. */
export function assertOneLineFailure(r: Result, pattern: RegExp): void {
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /^mailpolicy: [^\n]+\n$/);
  assert.match(r.stderr, pattern);
  assert.ok(!r.stderr.includes("    at "), r.stderr);
}

/** Builds the CLI before the file's tests; returns the scratch directory and a writer into it. */
export function useCli(): { dir: () => string; write: (name: string, content: string | Uint8Array) => string } {
  let tmp = "";
  before(() => {
    execFileSync("npm", ["run", "build"], { cwd: root, stdio: "ignore" });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mailpolicy-cli-"));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  return {
    dir: () => tmp,
    write: (name, content) => {
      const file = path.join(tmp, name);
      fs.writeFileSync(file, content);
      return file;
    },
  };
}
