/** One entry point for every target: the CLI, the editor and the preview all call this. */
import type { PolicyDiagnostic } from "../diagnostics";
import { compareDiagnostics } from "../diagnostics";
import type { Lang, Policy, RuleRef, TargetName } from "../model";
import { renderAliyun } from "./aliyun";
import { renderAws } from "./aws";
import { renderIptablesSave } from "./iptables";

export interface GeneratedOutput {
  readonly target: TargetName;
  /** The exact file contents, ending with a newline. Made on first read. */
  readonly text: string;
  /** Suggested file name: `rules.v4`, `rules.v6`, `aliyun-security-group.json`, `aws-security-group.json`. */
  readonly fileName: string;
  /** For each output line (0-based), the policy rule it came from, or null. Made with the text. */
  readonly lineRules: readonly (RuleRef | null)[];
  /** `target.unsupported`, `target.limit`, `target.description`. */
  readonly diagnostics: readonly PolicyDiagnostic[];
}

/** The file name each target is written to. */
export const TARGET_FILE_NAMES: Record<TargetName, string> = {
  iptables: "rules.v4",
  ip6tables: "rules.v6",
  aliyun: "aliyun-security-group.json",
  aws: "aws-security-group.json",
};

/**
 * Generates one target. Deterministic: the same policy gives the same bytes,
 * whatever the language (only diagnostic messages are localized).
 */
export function generateTarget(policy: Policy, target: TargetName, lang: Lang = "en"): GeneratedOutput {
  const plan =
    target === "iptables"
      ? renderIptablesSave(policy, 4, lang)
      : target === "ip6tables"
        ? renderIptablesSave(policy, 6, lang)
        : target === "aliyun"
          ? renderAliyun(policy, lang)
          : renderAws(policy, lang);
  const diagnostics = [...plan.diagnostics].sort(compareDiagnostics);
  // Getters, not stored fields: the text is made on first read (the plan keeps it),
  // and a copy or a comparison of the output still sees it as plain data.
  return {
    target,
    fileName: TARGET_FILE_NAMES[target],
    diagnostics,
    get text() {
      return plan.render().text;
    },
    get lineRules() {
      return plan.render().lineRules;
    },
  };
}
