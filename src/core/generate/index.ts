/** One entry point for every target: the CLI, the editor and the preview all call this. */
import type { PolicyDiagnostic } from "../diagnostics";
import { compareDiagnostics } from "../diagnostics";
import type { Lang, Policy, RuleRef, TargetName } from "../model";
import { renderAliyun } from "./aliyun";
import { renderAws } from "./aws";
import type { OutputChunk, OutputDocument, PlannedDocument } from "./common";
import { renderIptablesSave } from "./iptables";

export interface GeneratedOutput {
  readonly target: TargetName;
  /** The exact file contents, ending with a newline. Made on first read. */
  readonly text: string;
  /** Suggested file name: `rules.v4`, `rules.v6`, `aliyun-security-group.json`, `aws-security-group.json`. */
  readonly fileName: string;
  /** For each output line (0-based), the policy rule it came from, or null. Made with the text. */
  readonly lineRules: readonly (RuleRef | null)[];
  /**
   * The text's lines, without their newlines (the preview reads these; joining
   * them is the text). Not enumerable, so a spread copy of the output has none.
   */
  readonly lines: readonly string[];
  /**
   * The lines as runs from one rule each, and the rule of each run (see
   * `OutputDocument`); not enumerable either.
   */
  readonly chunks: readonly OutputChunk[];
  readonly chunkRules: readonly (RuleRef | null)[];
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
  const output = { target, fileName: TARGET_FILE_NAMES[target], diagnostics };
  Object.defineProperty(output, PLAN, { value: plan });
  return Object.defineProperties(output, LAZY_TEXT) as unknown as GeneratedOutput;
}

/** Where an output keeps its plan: a non-enumerable symbol key, never copied, compared or serialized. */
const PLAN = Symbol("plan");

/**
 * `text` and `lineRules` as getters, not stored fields: made on first read (the
 * plan keeps them), while a copy or a comparison of the output still sees plain
 * data (`lines`, the same text as lines, is not enumerable: it would say it
 * twice). The getters are shared, not closures per output: V8 keeps the
 * accessors of an object literal's `get` in its hidden class, in the old
 * generation, so closures made per call would keep every edit's policy alive
 * past the next young-generation collection (about 3 MB promoted per
 * collection at 200 rules).
 */
const LAZY_TEXT: PropertyDescriptorMap = {
  text: planField("text", true),
  lineRules: planField("lineRules", true),
  lines: planField("lines", false),
  chunks: planField("chunks", false),
  chunkRules: planField("chunkRules", false),
};

/** A getter of the output's plan's `field`, made once for every output. */
function planField(field: keyof OutputDocument, enumerable: boolean): PropertyDescriptor {
  return {
    enumerable,
    get(this: { [PLAN]: PlannedDocument }) {
      return this[PLAN].render()[field];
    },
  };
}
