/**
 * `npm run bench`: installs the tools we compare against when missing
 * (bench/setup.sh), builds, writes the inputs, measures, and prints the results
 * table (also saved to .cache/bench/results.md).
 *
 * Options: --quick (1,000 and 10,000 rules only, fewer runs), --no-build,
 * --only generation,checking,editor,preview.
 *
 * The sections measured in-process (checking, editor, preview) each run in a
 * process of their own (`--section NAME`, rows as JSON on stdout), so that one
 * section's heap, loaded modules and compiled code cannot slow the next.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { checkingRows } from "./checking";
import { editorRows, previewRows } from "./editor";
import { type GenerationTimes, generationRows, timeGeneration } from "./generation";
import { type BenchInputs, readBenchInputs, writeBenchInputs } from "./inputs";
import { type ResultRow, renderTable } from "./report";
import { webviewRows } from "./webview";

const root = resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const quick = args.includes("--quick");
/** `--only a,b` or `--only=a,b`: the sections to run (default: all). */
function onlySections(): Set<string> {
  const at = args.findIndex((a) => a === "--only" || a.startsWith("--only="));
  if (at === -1) return new Set();
  const value = args[at].includes("=") ? args[at].split("=")[1] : (args[at + 1] ?? "");
  return new Set(value.split(",").filter(Boolean));
}
const only = onlySections();
const wants = (section: string) => only.size === 0 || only.has(section);
const workDir = join(root, ".cache", "bench");
const toolsDir = join(root, ".cache", "bench-tools");
const cli = join(root, "dist", "cli.js");

function run(command: string, commandArgs: string[]): void {
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`${command} ${commandArgs.join(" ")} failed`);
}

function version(command: string, commandArgs: string[], pattern: RegExp): string {
  const out = spawnSync(command, commandArgs, { encoding: "utf8" });
  return `${out.stdout ?? ""}${out.stderr ?? ""}`.match(pattern)?.[1] ?? "?";
}

function toolVersions(): string {
  const yls = JSON.parse(
    readFileSync(join(toolsDir, "node_modules", "yaml-language-server", "package.json"), "utf8"),
  ) as { version: string };
  const capirca = version("dpkg-query", ["-W", "python3-capirca"], /\t(\S+)/);
  return [
    `node ${process.version}`,
    `ferm ${version("ferm", ["--version"], /ferm (\S+)/)}`,
    `capirca ${capirca}`,
    `yaml-language-server ${yls.version}`,
    `${cpus().length} x ${cpus()[0]?.model ?? "cpu"}`,
    `load average at the end ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  ].join(", ");
}

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

/** Rows of one in-process section, measured in a fresh process of its own. */
function sectionRows(section: string): ResultRow[] {
  const result = spawnSync(
    process.execPath,
    [...process.execArgv, join(root, "bench", "run.ts"), "--section", section, ...args],
    { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.status !== 0) throw new Error(`bench section ${section} failed (exit ${result.status})`);
  return JSON.parse(result.stdout) as ResultRow[];
}

/** Policy sizes measured, and how many runs each. */
const sizes = quick ? [1_000, 10_000] : [1_000, 10_000, 50_000];
const runsFor = (n: number) => (quick ? 3 : n >= 50_000 ? 3 : 5);

/** `--section NAME`: one in-process section, its rows as JSON on stdout; reads the inputs `main` wrote. */
async function measureSection(section: string): Promise<void> {
  const inputsOf = (n: number) => readBenchInputs(join(workDir, "inputs"), n);
  const rows: ResultRow[] = [];
  if (section === "checking") {
    log("checking, 10000 rules");
    rows.push(...(await checkingRows({ root, cli, toolsDir, inputs: inputsOf(10_000), runs: runsFor(10_000) })));
  } else if (section === "editor") {
    log("editor");
    const texts = new Map(sizes.map((n) => [n, inputsOf(n).mailpolicyText]));
    rows.push(...(await editorRows({ root, texts, quick })));
  } else if (section === "preview") {
    log("preview, 5000 rules");
    rows.push(...(await previewRows(quick)));
    log("preview webview, 5000 rules, headless Chromium");
    rows.push(...(await webviewRows(quick)));
  } else throw new Error(`no bench section ${section}`);
  process.stdout.write(JSON.stringify(rows));
}

async function main(): Promise<void> {
  const section = args.indexOf("--section");
  if (section >= 0) return measureSection(args[section + 1]);
  run("bash", [join(root, "bench", "setup.sh"), toolsDir]);
  if (!args.includes("--no-build")) run("npm", ["run", "--silent", "build"]);
  mkdirSync(workDir, { recursive: true });

  const inputs = new Map<number, BenchInputs>(sizes.map((n) => [n, writeBenchInputs(join(workDir, "inputs"), n)]));
  const rows: ResultRow[] = [];

  if (wants("generation")) {
    const times: GenerationTimes[] = [];
    const failures: [number, unknown][] = [];
    for (const n of sizes) {
      log(`generation, ${n} rules`);
      try {
        times.push(timeGeneration(inputs.get(n)!, root, cli, runsFor(n)));
      } catch (error) {
        failures.push([n, error]);
        log(String(error));
      }
    }
    rows.push(...generationRows(times, failures));
  }
  for (const section of ["checking", "editor", "preview"]) if (wants(section)) rows.push(...sectionRows(section));

  const header = [
    `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC with \`npm run bench${args.length ? ` -- ${args.join(" ")}` : ""}\`.`,
    `Tools: ${toolVersions()}.`,
  ];
  const report = `${header.join("\n")}\n\n${renderTable(rows)}\n`;
  writeFileSync(join(workDir, "results.md"), report);
  writeFileSync(join(workDir, "results.json"), `${JSON.stringify(rows, null, 2)}\n`);
  process.stdout.write(report);
  const missed = rows.filter((r) => r.verdict === "missed");
  if (missed.length > 0) log(`${missed.length} target(s) missed: ${missed.map((r) => r.measure).join("; ")}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
