/**
 * The examples and the files the generator makes from them: shared by the
 * golden test and `npm run golden:update`, so both always agree on the set.
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { configuredTargets } from "../../src/core/check";
import { type GeneratedOutput, generateTarget } from "../../src/core/generate/index";
import { parsePolicy } from "../../src/core/parse";

export const EXAMPLES_DIR = join(import.meta.dirname, "..", "..", "examples");
export const EXPECTED_DIR = join(import.meta.dirname, "expected");

export interface ExampleOutputs {
  /** `mx1` for `examples/mx1.mailpolicy.yaml`. */
  readonly name: string;
  readonly file: string;
  readonly outputs: GeneratedOutput[];
}

/** Every `examples/*.mailpolicy.yaml`, in name order. */
export function exampleFiles(): string[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith(".mailpolicy.yaml"))
    .sort()
    .map((f) => join(EXAMPLES_DIR, f));
}

/** Parses an example (it must have no errors) and generates every target it configures. */
export function generateExample(file: string): ExampleOutputs {
  const { policy, diagnostics } = parsePolicy(readFileSync(file, "utf8"));
  const errors = diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) throw new Error(`${basename(file)} has errors: ${errors.map((d) => d.message).join("; ")}`);
  const outputs = configuredTargets(policy).map((t) => generateTarget(policy, t));
  return { name: basename(file, ".mailpolicy.yaml"), file, outputs };
}
