/**
 * The policies the system suite runs against: the bundled examples, compiled
 * with the same core the CLI and the editor use.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { checkPolicy } from "../../../src/core/check";
import { generateTarget } from "../../../src/core/generate/index";
import type { Policy } from "../../../src/core/model";
import type { Family } from "../../support/kernel";

export const REPO_ROOT = path.resolve(__dirname, "../../..");
export const EXAMPLES_DIR = path.join(REPO_ROOT, "examples");

/** `examples/*.mailpolicy.yaml`, by file name. */
export function exampleFiles(): string[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith(".mailpolicy.yaml") || f.endsWith(".mailpolicy.yml"))
    .sort();
}

export function readExample(name: string): string {
  return readFileSync(path.join(EXAMPLES_DIR, name), "utf8");
}

/** Parses and checks a policy; throws with the error list when it has errors. */
export function compilePolicy(text: string, label: string): Policy {
  const result = checkPolicy(text, { today: "2026-01-01" });
  if (result.hasErrors) {
    const errors = result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code}: ${d.message}`);
    throw new Error(`${label} has errors:\n${errors.join("\n")}\n--- policy ---\n${text}`);
  }
  return result.policy;
}

/** The families the iptables target emits for this policy. */
export function iptablesFamilies(policy: Policy): Family[] {
  return policy.targets.iptables?.ipv6 === false ? [4] : [4, 6];
}

/** The iptables-save text of one family. */
export function iptablesText(policy: Policy, family: Family): string {
  return generateTarget(policy, family === 4 ? "iptables" : "ip6tables").text;
}
