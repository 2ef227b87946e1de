/** STUB (to be written): one entry point for every target. */
import type { PolicyDiagnostic } from "../diagnostics";
import type { Lang, Policy, RuleRef, TargetName } from "../model";

export interface GeneratedOutput {
  readonly target: TargetName;
  /** The exact file contents, ending with a newline. */
  readonly text: string;
  /** Suggested file name: `rules.v4`, `rules.v6`, `aliyun-security-group.json`, `aws-security-group.json`. */
  readonly fileName: string;
  /** For each output line (0-based), the policy rule it came from, or null. */
  readonly lineRules: readonly (RuleRef | null)[];
  /** `target.unsupported`, `target.limit`, `target.description`. */
  readonly diagnostics: readonly PolicyDiagnostic[];
}

export function generateTarget(_policy: Policy, _target: TargetName, _lang: Lang = "en"): GeneratedOutput {
  throw new Error("not implemented");
}
