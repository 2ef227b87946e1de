/**
 * Checking: `mailpolicy check` against yaml-language-server validating the same
 * file with our JSON Schema, as whole processes and in-process; and the `yaml`
 * package's own parse as the floor that checking plus all four generators are
 * measured against.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseDocument } from "yaml";
import { checkPolicy, forgetEarlierChecks, outputFor } from "../src/core/check";
import { TARGET_NAMES } from "../src/core/model";
import { caughtFaults, faultyPolicy, lineOfOffset } from "./faults";
import type { BenchInputs } from "./inputs";
import { boundRow, type ResultRow, unavailableRow } from "./report";
import { formatMs, formatRatio, timeInProcess, timeSideBySide } from "./timing";

/** Checks plus all four generators may add at most 50% on top of the bare parse. */
export const FLOOR_RATIO_TARGET = 1.5;

interface YamlLsValidator {
  validate(text: string, uri?: string): Promise<{ range: { start: { line: number } } }[]>;
}

/** The editor's JSON Schema for policy files, which yaml-language-server validates against. */
export function schemaPath(root: string): string {
  const path = join(root, "schemas", "mailpolicy.schema.json");
  if (!existsSync(path)) throw new Error("schemas/mailpolicy.schema.json is missing");
  return path;
}

async function loadValidator(root: string, toolsDir: string, schema: string): Promise<YamlLsValidator> {
  const modulePath = pathToFileURL(join(root, "bench", "yaml-ls-validate.mjs")).href;
  const { createValidator } = await import(modulePath);
  return createValidator(toolsDir, schema);
}

/**
 * A first check of `text`: nothing reused from an earlier one (a check reuses what the
 * one before found for unchanged rules, and these figures are about reading a file).
 */
export function checkFromNothing(text: string): ReturnType<typeof checkPolicy> {
  forgetEarlierChecks();
  return checkPolicy(text);
}

/** A first check followed by every generator: what `generate --target all` runs. */
export function checkAndGenerateAll(text: string): number {
  const check = checkFromNothing(text);
  if (check.hasErrors) throw new Error("the bench policy has errors; generators would refuse it");
  let bytes = 0;
  // As the CLI and the preview do: the configured targets' outputs come from the check.
  for (const target of TARGET_NAMES) bytes += outputFor(check, target).text.length;
  return bytes;
}

export interface CheckingOptions {
  readonly root: string;
  readonly cli: string;
  readonly toolsDir: string;
  readonly inputs: BenchInputs;
  readonly runs: number;
}

export async function checkingRows(options: CheckingOptions): Promise<ResultRow[]> {
  const { root, cli, toolsDir, inputs, runs } = options;
  const rows: ResultRow[] = [];
  const n = inputs.ruleCount.toLocaleString("en-US");

  try {
    const stats = timeSideBySide(
      [
        { name: "mailpolicy", command: process.execPath, args: [cli, "check", inputs.mailpolicy], okExitCodes: [0, 1] },
        {
          name: "yaml-ls",
          command: process.execPath,
          args: [join(root, "bench", "yaml-ls-validate.mjs"), toolsDir, schemaPath(root), inputs.mailpolicy],
        },
      ],
      runs,
    );
    const ours = stats.get("mailpolicy")!.wall.median;
    const theirs = stats.get("yaml-ls")!.wall.median;
    const [oursCpu, theirsCpu] = [stats.get("mailpolicy")!.cpu, stats.get("yaml-ls")!.cpu];
    const cpu = oursCpu && theirsCpu ? `; CPU ${formatMs(oursCpu.median)} / ${formatMs(theirsCpu.median)}` : "";
    rows.push(
      boundRow(
        "Checking",
        `${n} rules, whole process: \`mailpolicy check\` / yaml-language-server + schemas/mailpolicy.schema.json`,
        `${formatMs(ours)} / ${formatMs(theirs)} (${formatRatio(ours / theirs)}${cpu})`,
        ours,
        theirs,
        "faster (< 1x)",
      ),
    );
  } catch (error) {
    rows.push(unavailableRow("Checking", `${n} rules, whole process`, error));
  }

  const text = inputs.mailpolicyText;
  let validator: YamlLsValidator | undefined;
  try {
    validator = await loadValidator(root, toolsDir, schemaPath(root));
    const theirs = await timeInProcess(() => validator!.validate(text), { runs, warmup: 2 });
    const ours = await timeInProcess(() => checkFromNothing(text), { runs, warmup: 2 });
    rows.push(
      boundRow(
        "Checking",
        `${n} rules, in-process CPU time: checkPolicy / yaml-language-server doValidation`,
        `${formatMs(ours.cpu.median)} / ${formatMs(theirs.cpu.median)} (${formatRatio(ours.cpu.median / theirs.cpu.median)}; wall ${formatMs(ours.median)} / ${formatMs(theirs.median)})`,
        ours.cpu.median,
        theirs.cpu.median,
        "faster (< 1x)",
      ),
    );
  } catch (error) {
    rows.push(unavailableRow("Checking", `${n} rules, in-process`, error));
  }

  try {
    const faulty = faultyPolicy();
    const ours = checkPolicy(faulty.text).diagnostics.map((d) => lineOfOffset(faulty.text, d.range.start));
    const oursCaught = caughtFaults(faulty.faults, ours).length;
    const theirsCaught = validator
      ? caughtFaults(
          faulty.faults,
          (await validator.validate(faulty.text)).map((d) => d.range.start.line),
        ).length
      : undefined;
    rows.push({
      area: "Checking",
      measure: `Checking more: of ${faulty.faults.length} planted mistakes (bench/faults.ts), found by mailpolicy / yaml-language-server`,
      result: `${oursCaught} / ${theirsCaught ?? "unavailable"}`,
      target: "more than yaml-language-server",
      verdict: theirsCaught === undefined ? "n/a" : oursCaught > theirsCaught ? "met" : "missed",
    });
  } catch (error) {
    rows.push(unavailableRow("Checking", "Checking more (planted mistakes)", error));
  }

  try {
    const floor = await timeInProcess(() => parseDocument(text), { runs, warmup: 2 });
    const check = await timeInProcess(() => checkFromNothing(text), { runs, warmup: 2 });
    const full = await timeInProcess(() => checkAndGenerateAll(text), { runs, warmup: 2 });
    const floorText = `${formatMs(floor.cpu.median)} (wall ${formatMs(floor.median)})`;
    const ratio = full.cpu.median / floor.cpu.median;
    rows.push(
      boundRow(
        "Checking",
        `${n} rules, in-process CPU time: checkPolicy with all four outputs (what \`generate --target all\` runs) / \`yaml\` parseDocument (floor)`,
        `${formatMs(full.cpu.median)} / ${floorText}: ${formatRatio(ratio)}`,
        ratio,
        FLOOR_RATIO_TARGET,
        `<= ${FLOOR_RATIO_TARGET}x (at most +50%)`,
      ),
      {
        area: "Checking",
        measure: `${n} rules, in-process CPU time: checkPolicy alone (it plans every configured target for its diagnostics; the text waits until read) / floor`,
        result: `${formatMs(check.cpu.median)}: ${formatRatio(check.cpu.median / floor.cpu.median)}`,
        target: "",
        verdict: "info",
      },
    );
  } catch (error) {
    rows.push(unavailableRow("Checking", `${n} rules, floor ratio`, error));
  }
  return rows;
}
