/** Pieces every target generator shares: diagnostics, port labels, rule references. */

import { formatCidr } from "../addresses";
import { DEFAULT_SEVERITY, type DiagnosticCode, type PolicyDiagnostic, type Severity } from "../diagnostics";
import { localize } from "../i18n";
import type { AddressFamily, Cidr, Lang, Localized, PortSpec, Rule, RuleRef, RuleSet, TextRange } from "../model";

/** Where a diagnostic without a better node points: the start of the file. */
const FILE_START: TextRange = { start: 0, end: 0 };

/** Collects a generator's diagnostics in one language. */
export class TargetDiagnostics {
  readonly items: PolicyDiagnostic[] = [];

  constructor(readonly lang: Lang) {}

  add(code: DiagnosticCode, range: TextRange, text: Localized, rule?: RuleRef, severity?: Severity): void {
    this.items.push({
      code,
      severity: severity ?? DEFAULT_SEVERITY[code],
      message: localize(this.lang, text),
      range,
      ...(rule ? { rule: ruleRef(rule) } : {}),
    });
  }

  /** `target.description` for a note that had to change to fit `targetLabel`. */
  noteChanged(rule: Rule, targetLabel: string, limit: Localized): void {
    this.add(
      "target.description",
      rule.noteRange ?? rule.range,
      {
        en: `The note is changed to fit ${targetLabel} (${limit.en}). Shorten it or use only the allowed characters to keep it as written.`,
        "zh-cn": `备注已按 ${targetLabel} 的要求修改（${limit["zh-cn"]}）。请缩短备注或只使用允许的字符，以保持原文。`,
      },
      rule,
    );
  }
}

/** A bare `{direction, index}`, without the rest of the rule. */
export function ruleRef(rule: RuleRef): RuleRef {
  return { direction: rule.direction, index: rule.index };
}

/** The port specs as written, for comments and descriptions when there is no note. */
export function portLabel(ports: readonly PortSpec[]): string {
  return ports.map((p) => p.text).join(", ");
}

/** Where a direction's default is written, or the best enclosing node. */
export function defaultRange(ruleSet: RuleSet): TextRange {
  return ruleSet.defaultRange ?? ruleSet.range ?? FILE_START;
}

/** The port specs of a rule with exact duplicates (same protocol and range) removed, in written order. */
export function distinctPorts(ports: readonly PortSpec[]): PortSpec[] {
  const seen = new Set<string>();
  const out: PortSpec[] = [];
  for (const p of ports) {
    const key = `${p.protocol}/${p.from}-${p.to}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

/** Bilingual names for the two traffic directions. */
export const DIRECTION_TEXT: Record<RuleRef["direction"], Localized> = {
  inbound: { en: "inbound", "zh-cn": "入方向" },
  outbound: { en: "outbound", "zh-cn": "出方向" },
};

/** The rule's prefixes of one family, each once, in written order. */
export function familyCidrs(rule: Rule, family: AddressFamily): Cidr[] {
  const seen = new Set<string>();
  const out: Cidr[] = [];
  for (const peer of rule.peers) {
    for (const cidr of peer.cidrs) {
      const key = formatCidr(cidr);
      if (cidr.family !== family || seen.has(key)) continue;
      seen.add(key);
      out.push(cidr);
    }
  }
  return out;
}
