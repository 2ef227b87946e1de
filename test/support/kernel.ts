/**
 * Access to the real kernel firewall, always inside private network namespaces.
 *
 * Nothing here touches the host's own rules: every restore runs under
 * `unshare -n` or `ip netns exec` of a namespace this suite created.
 */
import { spawnSync } from "node:child_process";
import type { TestContext } from "node:test";

export type Family = 4 | 6;

const RESTORE: Record<Family, string> = { 4: "iptables-restore", 6: "ip6tables-restore" };
const SAVE: Record<Family, string> = { 4: "iptables-save", 6: "ip6tables-save" };

let cachedReason: string | null | undefined;

/** Why real-kernel tests cannot run here, or null when they can. */
export function kernelUnavailableReason(): string | null {
  if (cachedReason !== undefined) return cachedReason;
  cachedReason = probeKernel();
  return cachedReason;
}

function probeKernel(): string | null {
  if (process.platform !== "linux") return `needs Linux network namespaces (platform is ${process.platform})`;
  if (process.getuid?.() !== 0) return "needs root for network namespaces and veth pairs (run as root, as CI does)";
  for (const tool of ["unshare", "ip", RESTORE[4], RESTORE[6], SAVE[4], SAVE[6]]) {
    const r = spawnSync("sh", ["-c", `command -v ${tool}`], { encoding: "utf8" });
    if (r.status !== 0) return `needs \`${tool}\` (apt-get install iptables iproute2)`;
  }
  const r = spawnSync("unshare", ["-n", "sh", "-c", `${SAVE[4]} >/dev/null && ${SAVE[6]} >/dev/null`], {
    encoding: "utf8",
  });
  if (r.status !== 0)
    return `cannot create a private network namespace: ${(r.stderr || r.error?.message || "").trim()}`;
  return null;
}

/**
 * Options for a `test()` that needs the kernel: skipped with a visible reason
 * outside CI; in CI (`process.env.CI` set) the test runs and `requireKernel`
 * fails it with the same reason, so a broken runner cannot pass silently.
 */
export function kernelTestOptions(): { skip?: string } {
  const reason = kernelUnavailableReason();
  if (reason === null || process.env.CI) return {};
  return { skip: `real-kernel test skipped: ${reason}` };
}

/** Fails the test (in CI) when the kernel is not usable. */
export function requireKernel(_t?: TestContext): void {
  const reason = kernelUnavailableReason();
  if (reason !== null) throw new Error(`real-kernel test cannot run: ${reason}`);
}

export interface RestoreResult {
  readonly status: number | null;
  readonly stderr: string;
  /** iptables-save output after the restore (empty when the restore failed). */
  readonly saved: string;
}

/** Restores `rules` into a fresh, private network namespace and returns what iptables-save prints. */
export function restoreAndSave(rules: string, family: Family): RestoreResult {
  const r = spawnSync("unshare", ["-n", "sh", "-c", `${RESTORE[family]} && ${SAVE[family]}`], {
    input: rules,
    encoding: "utf8",
    timeout: 20_000,
  });
  return { status: r.status, stderr: (r.stderr ?? "") + (r.error ? String(r.error) : ""), saved: r.stdout ?? "" };
}

/**
 * The rule lines of an iptables-save text: table headers, chain policies, rules
 * and COMMIT, without comment lines, blank lines and `[packets:bytes]` counters.
 */
export function ruleLines(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.replace(/\s+\[\d+:\d+\]$/, "").trimEnd())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

/** iptables-save's quoted-or-bare comment argument. */
const COMMENT_ARG = /-m comment --comment (?:"(?:[^"\\]|\\.)*"|\S+)/g;

/** Rule lines with every `--comment` value replaced by a placeholder. */
export function ruleLinesWithoutComments(text: string): string[] {
  return ruleLines(text).map((line) => line.replace(COMMENT_ARG, "-m comment --comment _"));
}

/** The `--comment` values of the rule lines, unquoted as iptables does it (inside quotes `\x` is `x`). */
export function commentValues(text: string): string[] {
  const out: string[] = [];
  for (const line of ruleLines(text)) {
    for (const m of line.matchAll(COMMENT_ARG)) {
      const raw = m[0].slice("-m comment --comment ".length);
      out.push(raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, "$1") : raw);
    }
  }
  return out;
}
