/**
 * Generation: `mailpolicy generate --target all` against `ferm --remote` (one
 * target) and Capirca's `aclgen` (iptables, both families), on the same rules,
 * run side by side as whole processes.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { BenchInputs } from "./inputs";
import { boundRow, type ResultRow, unavailableRow } from "./report";
import { type CommandStats, formatMs, formatRatio, type TimedCommand, timeSideBySide } from "./timing";

/** The 10,000-rule targets from the issue: at most 0.5x ferm and 0.1x Capirca. */
export const FERM_RATIO_TARGET = 0.5;
export const CAPIRCA_RATIO_TARGET = 0.1;
export const TARGET_SIZE = 10_000;

export interface GenerationTimes {
  readonly ruleCount: number;
  readonly mailpolicy: CommandStats;
  readonly ferm: CommandStats;
  readonly capirca: CommandStats;
  /**
   * At TARGET_SIZE only, cold processes doing part of the job, for where the time
   * goes: Node's start with our bundle loaded (`--version`), the `yaml` package's
   * parse of the file alone (the checking floor, here cold), and `check`.
   */
  readonly parts?: { readonly start: CommandStats; readonly yamlParse: CommandStats; readonly check: CommandStats };
  /** `-A` lines each tool printed, as a sanity check that all did the whole job. */
  readonly ruleLines: { readonly mailpolicy: number; readonly ferm: number; readonly capirca: number };
}

function countRuleLines(paths: readonly string[]): number {
  let count = 0;
  for (const path of paths) {
    for (const line of readFileSync(path, "utf8").split("\n")) if (line.startsWith("-A ")) count++;
  }
  return count;
}

function filesIn(dir: string): string[] {
  return readdirSync(dir).map((name) => join(dir, name));
}

/** Times the three generators on one input size. */
export function timeGeneration(inputs: BenchInputs, root: string, cli: string, runs: number): GenerationTimes {
  const work = join(inputs.dir, "out");
  const mailpolicyOut = join(work, "mailpolicy");
  const capircaOut = join(work, "capirca");
  const fermOut = join(work, "ferm.rules");
  const fresh = (dir: string) => () => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
  };
  mkdirSync(work, { recursive: true });
  const commands: TimedCommand[] = [
    {
      name: "mailpolicy",
      command: process.execPath,
      args: [cli, "generate", inputs.mailpolicy, "--target", "all", "--out", mailpolicyOut],
      prepare: fresh(mailpolicyOut),
    },
    // --remote prints the rules instead of applying them: the host firewall is never touched.
    { name: "ferm", command: "ferm", args: ["--remote", inputs.ferm], stdoutFile: fermOut },
    {
      name: "capirca",
      command: "aclgen",
      args: [
        "--base_directory",
        inputs.capircaPolicies,
        "--definitions_directory",
        inputs.capircaDefinitions,
        "--output_directory",
        capircaOut,
        "--policy_file",
        inputs.capircaPolicyFile,
      ],
      prepare: fresh(capircaOut),
    },
  ];
  if (inputs.ruleCount === TARGET_SIZE) {
    commands.push(
      { name: "start", command: process.execPath, args: [cli, "--version"] },
      {
        name: "yamlParse",
        command: process.execPath,
        // Resolved from the project, as our own build resolves it.
        args: [
          "-e",
          "require('yaml').parseDocument(require('fs').readFileSync(process.argv[1], 'utf8'))",
          inputs.mailpolicy,
        ],
        cwd: root,
      },
      { name: "check", command: process.execPath, args: [cli, "check", inputs.mailpolicy] },
    );
  }
  const stats = timeSideBySide(commands, runs);
  const part = (name: string) => stats.get(name)!;
  return {
    ruleCount: inputs.ruleCount,
    parts: stats.has("check")
      ? { start: part("start"), yamlParse: part("yamlParse"), check: part("check") }
      : undefined,
    mailpolicy: stats.get("mailpolicy")!,
    ferm: stats.get("ferm")!,
    capirca: stats.get("capirca")!,
    ruleLines: {
      mailpolicy: countRuleLines(filesIn(mailpolicyOut).filter((f) => /rules\.v[46]$/.test(f))),
      ferm: countRuleLines([fermOut]),
      capirca: countRuleLines(filesIn(capircaOut)),
    },
  };
}

/** Rows for the table: one per size, plus the two target ratios at 10,000 rules. */
export function generationRows(times: readonly GenerationTimes[], failures: readonly [number, unknown][]): ResultRow[] {
  const rows: ResultRow[] = [];
  for (const t of times) {
    const n = t.ruleCount.toLocaleString("en-US");
    const fermRatio = t.mailpolicy.wall.median / t.ferm.wall.median;
    const capircaRatio = t.mailpolicy.wall.median / t.capirca.wall.median;
    const tools = [t.mailpolicy, t.ferm, t.capirca];
    // A stopped mailpolicy run makes its ratios lower bounds; a stopped baseline, upper bounds.
    const bound = (other: CommandStats) => (t.mailpolicy.timedOut ? "> " : other.timedOut ? "< " : "");
    const cpu = tools.every((x) => x.cpu) ? ` (CPU ${tools.map((x) => formatMs(x.cpu!.median)).join(" / ")})` : "";
    rows.push({
      area: "Generation",
      measure: `${n} rules, wall time: mailpolicy (4 targets) / ferm (1) / Capirca (iptables), median of ${t.mailpolicy.wall.runs}`,
      result: `${tools.map((x) => `${x.timedOut ? "> " : ""}${formatMs(x.wall.median)}`).join(" / ")}${cpu}`,
      target: "",
      verdict: "info",
    });
    rows.push({
      area: "Generation",
      measure: `${n} rules: \`-A\` rule lines written by mailpolicy (iptables + ip6tables) / ferm / Capirca`,
      result: [t.ruleLines.mailpolicy, t.ruleLines.ferm, t.ruleLines.capirca]
        .map((lines, k) => (tools[k].timedOut ? "stopped" : String(lines)))
        .join(" / "),
      target: "",
      verdict: "info",
    });
    const cpuRatio = (other: CommandStats) =>
      t.mailpolicy.cpu && other.cpu ? ` (CPU ${formatRatio(t.mailpolicy.cpu.median / other.cpu.median)})` : "";
    if (t.parts) {
      const { start, yamlParse, check } = t.parts;
      const parts = [start, yamlParse, check, t.mailpolicy];
      rows.push({
        area: "Generation",
        measure: `${n} rules, cold processes, wall time as a multiple of ferm's: Node's start with mailpolicy loaded / \`yaml\` parseDocument of the file alone / mailpolicy check / mailpolicy generate --target all`,
        result: `${parts.map((x) => formatRatio(x.wall.median / t.ferm.wall.median)).join(" / ")} (${parts.map((x) => formatMs(x.wall.median)).join(" / ")})`,
        target: "informational: where the time of a cold run goes",
        verdict: "info",
      });
    }
    if (t.ruleCount === TARGET_SIZE) {
      rows.push(
        boundRow(
          "Generation",
          `${n} rules: mailpolicy time / ferm time`,
          `${bound(t.ferm)}${formatRatio(fermRatio)}${cpuRatio(t.ferm)}`,
          fermRatio,
          FERM_RATIO_TARGET,
          `<= ${FERM_RATIO_TARGET}x`,
        ),
        boundRow(
          "Generation",
          `${n} rules: mailpolicy time / Capirca time`,
          `${bound(t.capirca)}${formatRatio(capircaRatio)}${cpuRatio(t.capirca)}`,
          capircaRatio,
          CAPIRCA_RATIO_TARGET,
          `<= ${CAPIRCA_RATIO_TARGET}x`,
        ),
      );
    } else {
      rows.push({
        area: "Generation",
        measure: `${n} rules: mailpolicy time as a multiple of ferm's / of Capirca's`,
        result: `${bound(t.ferm)}${formatRatio(fermRatio)} / ${bound(t.capirca)}${formatRatio(capircaRatio)}`,
        target: "",
        verdict: "info",
      });
    }
  }
  for (const [ruleCount, error] of failures) {
    rows.push(unavailableRow("Generation", `${ruleCount.toLocaleString("en-US")} rules`, error));
  }
  return rows;
}
