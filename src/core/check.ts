/**
 * The one entry point the CLI and the editor share: parse, validate, ask each
 * configured target what it cannot express, then apply `acknowledge` and the
 * user's severity settings.
 */
import { compareDiagnostics, type PolicyDiagnostic, type SeverityOverrides } from "./diagnostics";
import { forgetAwsPermissions } from "./generate/aws";
import { type GeneratedOutput, generateTarget } from "./generate/index";
import type { Lang, Policy, TargetName } from "./model";
import { forgetOverlapLists } from "./overlap";
import { forgetRuleReadings, parsePolicy } from "./parse";
import { validatePolicy } from "./validate";

export interface CheckOptions {
  readonly lang?: Lang;
  /** Per-code severity or `off`. */
  readonly severities?: SeverityOverrides;
  /** `YYYY-MM-DD` for `expires`; defaults to today (UTC). */
  readonly today?: string;
}

export interface CheckResult {
  readonly policy: Policy;
  /** Sorted by position; acknowledged ones are hints; `off` ones removed. */
  readonly diagnostics: PolicyDiagnostic[];
  /**
   * True when any diagnostic is an error, or when parsing had to skip part of
   * the file: a policy with a part missing must never be generated, whatever
   * severity the user gave that problem.
   */
  readonly hasErrors: boolean;
  /**
   * The configured targets' outputs, planned while checking (for their
   * diagnostics; the text is made on first read); empty when the policy has
   * errors. Reuse them through {@link outputFor} rather than generating again.
   */
  readonly outputs: ReadonlyMap<TargetName, GeneratedOutput>;
}

/** A target's output: the one planned while checking, or a new one for a target the policy does not configure. */
export function outputFor(check: CheckResult, target: TargetName, lang: Lang = "en"): GeneratedOutput {
  return check.outputs.get(target) ?? generateTarget(check.policy, target, lang);
}

/** Codes whose answer depends on every rule having been read. */
const WHOLE_POLICY_CODES: ReadonlySet<string> = new Set([
  "rule.duplicate",
  "rule.shadowed",
  "security.lockout",
  "security.plaintext-http",
]);

/** The outputs a policy asks for, in TARGET_NAMES order (`ip6tables` when `iptables.ipv6`). */
export function configuredTargets(policy: Policy): TargetName[] {
  const { iptables, aliyun, aws } = policy.targets;
  const out: TargetName[] = [];
  if (iptables) out.push("iptables");
  if (iptables?.ipv6) out.push("ip6tables");
  if (aliyun) out.push("aliyun");
  if (aws) out.push("aws");
  return out;
}

/**
 * Forgets what earlier checks worked out, so the next check starts from nothing
 * (benchmarks use it to time a first check). A check reuses what the one before
 * it found for rules that did not change; the result is the same either way.
 */
export function forgetEarlierChecks(): void {
  forgetRuleReadings();
  forgetOverlapLists();
  forgetAwsPermissions();
}

/** Checks a policy text. Never throws. */
export function checkPolicy(text: string, options: CheckOptions = {}): CheckResult {
  const lang = options.lang ?? "en";
  const parsed = parsePolicy(text, lang);
  const policy = parsed.policy;
  const incomplete = parsed.diagnostics.some((d) => d.severity === "error");
  let found: PolicyDiagnostic[] = [...parsed.diagnostics];
  const outputs = new Map<TargetName, GeneratedOutput>();
  try {
    const semantic = validatePolicy(policy, { lang, ...(options.today ? { today: options.today } : {}) });
    // With part of the file unread, checks about the whole policy would guess; local ones still hold.
    found.push(...(incomplete ? semantic.filter((d) => !WHOLE_POLICY_CODES.has(d.code)) : semantic));
  } catch {
    // A checker bug must not take the editor down: the parse diagnostics still stand.
  }
  if (!incomplete) {
    if (!found.some((d) => d.severity === "error")) {
      for (const target of configuredTargets(policy)) {
        try {
          const output = generateTarget(policy, target, lang);
          outputs.set(target, output);
          found.push(...output.diagnostics);
        } catch {
          // A generator that cannot run yet (or fails) adds nothing here; `generate` reports it.
        }
      }
    }
  }
  found = dedupeDiagnostics(found);
  const diagnostics = applySettings(found, policy, options.severities ?? {});
  diagnostics.sort(compareDiagnostics);
  const hasErrors = incomplete || diagnostics.some((d) => d.severity === "error");
  return { policy, diagnostics, hasErrors, outputs: hasErrors ? new Map() : outputs };
}

/** Acknowledged codes become hints; then the user's settings (`off` drops a code everywhere). */
export function applySettings(
  diagnostics: readonly PolicyDiagnostic[],
  policy: Policy,
  severities: SeverityOverrides,
): PolicyDiagnostic[] {
  const out: PolicyDiagnostic[] = [];
  for (const d of diagnostics) {
    const setting = severities[d.code];
    if (setting === "off") continue;
    const rule = d.rule ? policy[d.rule.direction].rules[d.rule.index] : undefined;
    if (rule?.acknowledge.includes(d.code)) out.push({ ...d, severity: "hint" });
    else out.push(setting ? { ...d, severity: setting } : d);
  }
  return out;
}

/** Targets repeat one another's findings (iptables and ip6tables); keep one of each. */
export function dedupeDiagnostics(diagnostics: readonly PolicyDiagnostic[]): PolicyDiagnostic[] {
  // By where they start: most start where no other does, and need no key made of their text.
  const byStart = new Map<number, PolicyDiagnostic[]>();
  return diagnostics.filter((d) => {
    const kept = byStart.get(d.range.start);
    if (!kept) {
      byStart.set(d.range.start, [d]);
      return true;
    }
    if (kept.some((k) => k.code === d.code && k.range.end === d.range.end && k.message === d.message)) return false;
    kept.push(d);
    return true;
  });
}
