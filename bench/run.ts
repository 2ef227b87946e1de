/**
 * `npm run bench`: installs the tools we compare against when missing
 * (bench/setup.sh), builds, writes the inputs, measures, and prints the results
 * table (also saved to .cache/bench/results.md).
 *
 * Options: --quick (1,000 and 10,000 rules only, fewer runs), --no-build,
 * --only generation,checking,editor,preview.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { checkingRows } from "./checking";
import { editorRows, previewRows } from "./editor";
import { type GenerationTimes, generationRows, timeGeneration } from "./generation";
import { type BenchInputs, writeBenchInputs } from "./inputs";
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

async function main(): Promise<void> {
  run("bash", [join(root, "bench", "setup.sh"), toolsDir]);
  if (!args.includes("--no-build")) run("npm", ["run", "--silent", "build"]);
  mkdirSync(workDir, { recursive: true });

  const sizes = quick ? [1_000, 10_000] : [1_000, 10_000, 50_000];
  const runsFor = (n: number) => (quick ? 3 : n >= 50_000 ? 3 : 5);
  const inputs = new Map<number, BenchInputs>(sizes.map((n) => [n, writeBenchInputs(join(workDir, "inputs"), n)]));
  const rows: ResultRow[] = [];

  if (wants("generation")) {
    const times: GenerationTimes[] = [];
    const failures: [number, unknown][] = [];
    for (const n of sizes) {
      log(`generation, ${n} rules`);
      try {
        times.push(timeGeneration(inputs.get(n)!, cli, runsFor(n)));
      } catch (error) {
        failures.push([n, error]);
        log(String(error));
      }
    }
    rows.push(...generationRows(times, failures));
  }
  if (wants("checking")) {
    log("checking, 10000 rules");
    rows.push(...(await checkingRows({ root, cli, toolsDir, inputs: inputs.get(10_000)!, runs: runsFor(10_000) })));
  }
  if (wants("editor")) {
    log("editor");
    const texts = new Map([...inputs].map(([n, i]) => [n, i.mailpolicyText]));
    rows.push(...(await editorRows({ root, texts, quick })));
  }
  if (wants("preview")) {
    log("preview, 5000 rules");
    rows.push(...(await previewRows(quick)));
    log("preview webview, 5000 rules, headless Chromium");
    rows.push(...(await webviewRows(quick)));
  }

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
