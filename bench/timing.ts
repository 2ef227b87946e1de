/**
 * Timing helpers: whole processes (wall clock from spawn to exit) and in-process
 * calls, repeated, summarised by median and p95. Competing commands run
 * interleaved, round by round, so a burst of load on the shared machine hits all
 * of them alike.
 */
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Stats {
  readonly runs: number;
  readonly median: number;
  readonly p95: number;
  readonly min: number;
  readonly max: number;
}

/** Median, p95 (nearest rank), min and max of samples in milliseconds. */
export function summarize(samples: readonly number[]): Stats {
  if (samples.length === 0) throw new Error("no samples");
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { runs: sorted.length, median, p95: rank(0.95), min: sorted[0], max: sorted[sorted.length - 1] };
}

/** Milliseconds elapsed since `start` (a `process.hrtime.bigint()` reading). */
export function since(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export interface TimedCommand {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  /** Untimed work before each run (e.g. emptying the output folder). */
  readonly prepare?: () => void;
  /** Where stdout goes; stderr is kept for error messages. Default: discarded. */
  readonly stdoutFile?: string;
  /** Exit codes that count as success. Default: [0]. */
  readonly okExitCodes?: readonly number[];
}

/** A run longer than this is stopped and reported as "over"; quadratic code must not hang the bench. */
export const COMMAND_TIMEOUT_MS = 180_000;
/** Commands slower than this get fewer runs (their warm-up run counts as a sample). */
export const SLOW_COMMAND_MS = 10_000;

/** A run stopped at COMMAND_TIMEOUT_MS. */
export class CommandTimeout extends Error {
  constructor(name: string) {
    super(`${name} took over ${COMMAND_TIMEOUT_MS / 1000} s and was stopped`);
  }
}

/** Wall-clock time, and CPU time (user + system, the process and its children) when measurable. */
export interface CommandTime {
  readonly wallMs: number;
  readonly cpuMs: number | undefined;
}

/** GNU time reports a child's CPU time; on a busy shared machine that is steadier than the wall clock. */
const GNU_TIME = "/usr/bin/time";
const cpuFile = join(tmpdir(), `mailpolicy-bench-cpu-${process.pid}.txt`);

/** Runs `command` once; throws when it fails or runs past COMMAND_TIMEOUT_MS. */
export function timeCommand(command: TimedCommand): CommandTime {
  command.prepare?.();
  const out = command.stdoutFile ? openSync(command.stdoutFile, "w") : "ignore";
  const gnuTime = existsSync(GNU_TIME);
  const [file, args] = gnuTime
    ? [GNU_TIME, ["-f", "%U %S", "-o", cpuFile, command.command, ...command.args]]
    : [command.command, [...command.args]];
  try {
    const start = process.hrtime.bigint();
    const result = spawnSync(file, args, {
      cwd: command.cwd,
      stdio: ["ignore", out, "pipe"],
      maxBuffer: 64 * 1024 * 1024,
      timeout: COMMAND_TIMEOUT_MS,
    });
    const wallMs = since(start);
    if (result.signal === "SIGTERM" && wallMs >= COMMAND_TIMEOUT_MS) throw new CommandTimeout(command.name);
    const ok = command.okExitCodes ?? [0];
    if (result.error || result.status === null || !ok.includes(result.status)) {
      const stderr = result.stderr?.toString().slice(-2000) ?? "";
      throw new Error(
        `${command.name} failed (${result.error?.message ?? `exit ${result.status}`}): ${command.command} ${command.args.join(" ")}\n${stderr}`,
      );
    }
    let cpuMs: number | undefined;
    if (gnuTime) {
      // The last line is "USER SYS" in seconds; a line before it may report a non-zero exit.
      const last = readFileSync(cpuFile, "utf8").trim().split("\n").pop() ?? "";
      const [user, system] = last.split(" ").map(Number);
      if (Number.isFinite(user) && Number.isFinite(system)) cpuMs = (user + system) * 1000;
    }
    return { wallMs, cpuMs };
  } finally {
    if (typeof out === "number") closeSync(out);
  }
}

/** Wall-clock and CPU statistics of one command. */
export interface CommandStats {
  readonly wall: Stats;
  readonly cpu: Stats | undefined;
  /** Stopped at COMMAND_TIMEOUT_MS: `wall` is then only a lower bound. */
  readonly timedOut?: boolean;
}

/**
 * Runs each command `runs` times, interleaved (the order rotates each round),
 * after one warm-up run each (file cache, Python bytecode). A command slower
 * than SLOW_COMMAND_MS keeps its warm-up as a sample and runs twice in all.
 */
export function timeSideBySide(commands: readonly TimedCommand[], runs: number): Map<string, CommandStats> {
  const samples = new Map<string, CommandTime[]>(commands.map((c) => [c.name, []]));
  const wanted = new Map<string, number>();
  const timedOut = new Set<string>();
  for (const command of commands) {
    let first: CommandTime;
    try {
      first = timeCommand(command);
    } catch (error) {
      if (!(error instanceof CommandTimeout)) throw error;
      timedOut.add(command.name);
      samples.get(command.name)!.push({ wallMs: COMMAND_TIMEOUT_MS, cpuMs: undefined });
      wanted.set(command.name, 1);
      continue;
    }
    const slow = first.wallMs > SLOW_COMMAND_MS;
    if (slow) samples.get(command.name)!.push(first);
    wanted.set(command.name, slow ? Math.min(runs, 2) : runs);
  }
  for (let round = 0; round < runs; round++) {
    for (let k = 0; k < commands.length; k++) {
      const command = commands[(round + k) % commands.length];
      const list = samples.get(command.name)!;
      if (list.length < wanted.get(command.name)!) list.push(timeCommand(command));
    }
  }
  return new Map(
    [...samples].map(([name, s]) => {
      const cpu = s.map((t) => t.cpuMs).filter((ms): ms is number => ms !== undefined);
      const wall = summarize(s.map((t) => t.wallMs));
      return [name, { wall, cpu: cpu.length === s.length ? summarize(cpu) : undefined, timedOut: timedOut.has(name) }];
    }),
  );
}

/** In-process timing: wall clock, and the process's CPU time over the same calls. */
export interface InProcessStats extends Stats {
  /**
   * CPU time (user + system, all of the process's threads) per call. On a busy
   * shared machine the wall clock also counts time spent waiting for a core;
   * this is our own work.
   */
  readonly cpu: Stats;
  /**
   * CPU time of the calling thread alone, where the system tells it (Linux). The
   * extension host runs an update on one thread while the collector's helper
   * threads mark on the other core: this is how long the update holds the host.
   */
  readonly thread: Stats | undefined;
}

/** The main thread's time on a CPU so far, in ns, from Linux's scheduler statistics; undefined elsewhere. */
function threadCpuNs(): number | undefined {
  try {
    // The main thread's id is the process id.
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, "utf8").split(" ")[0]);
  } catch {
    return undefined;
  }
}

/**
 * Calls `fn` `warmup` times untimed, then up to `runs` times timed (ms each).
 * Stops early, after at least three samples, once `budgetMs` is spent, so that a
 * slow implementation is still measured without holding the bench for hours.
 */
export async function timeInProcess(
  fn: (iteration: number) => unknown,
  options: { readonly runs: number; readonly warmup?: number; readonly budgetMs?: number },
): Promise<InProcessStats> {
  const budget = options.budgetMs ?? 30_000;
  const begin = process.hrtime.bigint();
  const warmup = options.warmup ?? 3;
  let i = 0;
  for (; i < warmup && since(begin) < budget / 8; i++) await fn(i);
  // The timed runs start from a collected heap, once the warm-up has let go of what earlier
  // measurements kept (yaml-language-server, a 50,000-rule policy): collecting that is not
  // this one's work. More warm-up runs follow, while the collector sweeps what it freed.
  (globalThis as { gc?: () => void }).gc?.();
  for (let k = 0; k < warmup && since(begin) < budget / 4; k++, i++) await fn(i);
  const wall: number[] = [];
  const cpu: number[] = [];
  const thread: number[] = [];
  for (let k = 0; k < options.runs && (wall.length < 3 || since(begin) < budget); k++, i++) {
    const threadStart = threadCpuNs();
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    await fn(i);
    wall.push(since(start));
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
    const threadEnd = threadCpuNs();
    if (threadStart !== undefined && threadEnd !== undefined) thread.push((threadEnd - threadStart) / 1e6);
  }
  return {
    ...summarize(wall),
    cpu: summarize(cpu),
    thread: thread.length === wall.length ? summarize(thread) : undefined,
  };
}

/** `12.3 ms`, `1.23 s`: readable at every scale in the results table. */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** `0.42x`, to compare against a target ratio. */
export function formatRatio(ratio: number): string {
  return `${ratio.toFixed(ratio < 0.1 ? 3 : 2)}x`;
}
