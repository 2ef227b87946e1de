/**
 * Alibaba Cloud ECS security-group rules, as the `Permissions` of
 * AuthorizeSecurityGroup (inbound) and AuthorizeSecurityGroupEgress (outbound).
 *
 * Alibaba Cloud does not evaluate rules in order: among the matching entries
 * the smallest `Priority` wins, and at a tie `drop` wins. First-match order is
 * kept by priorities: for overlapping rules i < k, p(k) >= p(i), and
 * p(k) > p(i) when i accepts and k drops. Rules that do not overlap share the
 * smallest number, so the 100 levels last.
 */
import { ANY4, ANY6, formatCidr } from "../addresses";
import type { Action, Cidr, DefaultAction, Direction, Lang, Policy, PortSpec, Rule, RuleRef, RuleSet } from "../model";
import { earlierOverlaps } from "../overlap";
import { contentSlot, factOf, keepFact } from "../rule-content";
import { sanitizeAliyunDescription } from "../sanitize";
import {
  DIRECTION_TEXT,
  defaultRange,
  distinctPorts,
  familyCidrs,
  OutputChunk,
  OutputWriter,
  type PlannedDocument,
  plannedDocument,
  ruleRef,
  TargetDiagnostics,
} from "./common";
import type { JsonValue } from "./json";

/** The largest priority Alibaba Cloud accepts. */
export const ALIYUN_MAX_PRIORITY = 100;
/** Rules across all security groups of one network interface. */
export const ALIYUN_MAX_ENTRIES = 1000;

type CloudPolicy = "accept" | "drop";

const CLOUD_POLICY: Record<Action, CloudPolicy> = { allow: "accept", deny: "drop", reject: "drop" };

/**
 * The security group: priorities, limits and notes are decided (and their
 * diagnostics made) now; the JSON text only when `render` is called.
 */
export function renderAliyun(policy: Policy, lang: Lang): PlannedDocument {
  const options = policy.targets.aliyun;
  const base = options?.priority ?? 1;
  const diagnostics = new TargetDiagnostics(lang);
  const ingress = planDirection(policy.inbound, "inbound", base, diagnostics);
  const egress = planDirection(policy.outbound, "outbound", base, diagnostics);
  const total = ingress.entries + egress.entries;
  if (total > ALIYUN_MAX_ENTRIES) {
    const overIngress = ALIYUN_MAX_ENTRIES < ingress.entries;
    const over = overIngress ? ingress : egress;
    const rule = ruleAtEntry(over, overIngress ? ALIYUN_MAX_ENTRIES : ALIYUN_MAX_ENTRIES - ingress.entries);
    diagnostics.add(
      "target.limit",
      rule?.actionRange ?? defaultRange(policy[over.direction]),
      {
        en: `This policy needs ${total} Alibaba Cloud security-group rules; one network interface allows at most ${ALIYUN_MAX_ENTRIES}. Merge sources into fewer prefixes or ports into ranges.`,
        "zh-cn": `此策略需要 ${total} 条阿里云安全组规则，一个网卡最多允许 ${ALIYUN_MAX_ENTRIES} 条。请把来源合并为更少的网段，或把端口合并为范围。`,
      },
      rule ?? undefined,
    );
  }
  return plannedDocument(diagnostics.items, () => {
    const doc = new OutputWriter();
    doc.line("{");
    if (options?.regionId !== undefined) doc.line(`  "RegionId": ${JSON.stringify(options.regionId)},`);
    if (options?.securityGroupId !== undefined) {
      doc.line(`  "SecurityGroupId": ${JSON.stringify(options.securityGroupId)},`);
    }
    writeEntries(doc, "Ingress", ingress, ",");
    writeEntries(doc, "Egress", egress, "");
    doc.line("}");
    return doc.done();
  });
}

/**
 * What a rule's content decides here: an entry per prefix and distinct port
 * range, described by its note. Made once per rule content.
 */
interface RuleShape {
  /** The sanitized note; absent when each entry describes its own ports. */
  readonly note: string | undefined;
  /** Whether sanitizing changed the note (a finding on every check). */
  readonly noteChanged: boolean;
  readonly cidrs: readonly Cidr[];
  readonly ports: readonly PortSpec[];
}

const SHAPE = contentSlot<RuleShape>();

function shapeOf(rule: Rule): RuleShape {
  const known = factOf(rule, SHAPE);
  if (known) return known;
  let note: string | undefined;
  let noteChanged = false;
  if (rule.note !== undefined) {
    const sanitized = sanitizeAliyunDescription(rule.note, "");
    noteChanged = sanitized.changed;
    if (sanitized.text !== "") note = sanitized.text;
  }
  const v4 = familyCidrs(rule, 4);
  const v6 = familyCidrs(rule, 6);
  const cidrs = v6.length === 0 ? v4 : v4.length === 0 ? v6 : [...v4, ...v6];
  return keepFact(rule, SHAPE, { note, noteChanged, cidrs, ports: distinctPorts(rule.ports) });
}

/** The number of entries a rule writes. */
function entryCount(rule: Rule): number {
  const { cidrs, ports } = shapeOf(rule);
  return cidrs.length * ports.length;
}

/** The entries of one direction, before they are JSON. */
interface DirectionPlan {
  readonly direction: Direction;
  /** The rules that write entries, in order, and the priority of each. */
  readonly rules: readonly Rule[];
  readonly priorities: readonly number[];
  /** The all-traffic entries (IPv4 and IPv6) that stand for the direction's default, when needed. */
  readonly fallback: { readonly policy: CloudPolicy; readonly priority: number; readonly description: string } | null;
  /** How many entries the direction writes. */
  readonly entries: number;
}

function planDirection(
  ruleSet: RuleSet,
  direction: Direction,
  base: number,
  diagnostics: TargetDiagnostics,
): DirectionPlan {
  // Priorities over the whole list, the one validation indexed too; a rule without prefixes meets nothing.
  const everyPriority = assignPriorities(ruleSet.rules, base);
  const rules: Rule[] = [];
  const priorities: number[] = [];
  ruleSet.rules.forEach((r, i) => {
    if (r.ports.length === 0 || !r.peers.some((p) => p.cidrs.length > 0)) return;
    rules.push(r);
    priorities.push(everyPriority[i]);
  });
  let entries = 0;
  // The first rule over the limit is reported; every later overlapping one follows from it.
  const firstOver = priorities.findIndex((p) => p > ALIYUN_MAX_PRIORITY);
  if (firstOver >= 0) priorityLimit(rules[firstOver], priorities[firstOver], diagnostics);
  for (const rule of rules) {
    if (rule.action === "reject") rejectIsDrop(rule.actionRange, diagnostics, rule);
    if (shapeOf(rule).noteChanged) {
      diagnostics.noteChanged(rule, "Alibaba Cloud", {
        en: "no control characters, 1 to 512 characters",
        "zh-cn": "不含控制字符，1 到 512 个字符",
      });
    }
    entries += entryCount(rule);
  }
  const fallback = defaultEntries(ruleSet, direction, rules, priorities, base, diagnostics);
  if (fallback) entries += 2;
  return { direction, rules, priorities, fallback, entries };
}

/** The rule that writes entry `n` (0-based) of a direction; null for the default's entries. */
function ruleAtEntry(plan: DirectionPlan, n: number): Rule | null {
  let seen = 0;
  for (const rule of plan.rules) {
    seen += entryCount(rule);
    if (n < seen) return rule;
  }
  return null;
}

/**
 * One direction's entries as `JSON.stringify(document, null, 2)` lays them out,
 * each with its rule. A rule's entries follow from its content and priority
 * alone, so they are made once per content and kept while its priority stays.
 */
function writeEntries(doc: OutputWriter, name: string, plan: DirectionPlan, after: string): void {
  if (plan.entries === 0) {
    doc.line(`  "${name}": []${after}`);
    return;
  }
  doc.line(`  "${name}": [`);
  // The entries written last, as they end when another entry follows them.
  let thenMore: OutputChunk | undefined;
  const write = (entries: EntryChunks, rule: RuleRef | null) => {
    if (thenMore) doc.replaceLast(thenMore);
    doc.chunk(entries.last, rule);
    thenMore = entries.thenMore;
  };
  plan.rules.forEach((rule, k) => {
    const entries = ruleEntries(plan.direction, rule, plan.priorities[k]);
    if (entries) write(entries, ruleRef(rule));
  });
  if (plan.fallback) {
    const fallback = plan.fallback;
    write(entryChunks([ANY4, ANY6].map((cidr) => entryJson(plan.direction, "ALL", "-1/-1", cidr, fallback))), null);
  }
  doc.line(`  ]${after}`);
}

/** Entries as they end when last in their list, and when another entry follows. */
interface EntryChunks {
  readonly last: OutputChunk;
  readonly thenMore: OutputChunk;
}

/**
 * The lines of `entries` inside the document: the engine's own serializer lays
 * out a list nested two deep exactly as the document's entries (indentation,
 * escaping, commas); only the two brackets above and below are cut off.
 */
function entryChunks(entries: readonly JsonValue[]): EntryChunks {
  const nested = JSON.stringify([entries], null, 2);
  const text = nested.slice(NESTED_OPEN.length, nested.length - NESTED_CLOSE.length);
  return { last: OutputChunk.ofText(text), thenMore: OutputChunk.ofText(`${text},`) };
}

const NESTED_OPEN = "[\n  [\n";
const NESTED_CLOSE = "\n  ]\n]";

/** A rule's entries, at the priority they were made for. */
const ENTRIES = contentSlot<{ readonly priority: number; readonly entries: EntryChunks | null }>();

/** The rule's entries (null when it writes none). */
function ruleEntries(direction: Direction, rule: Rule, priority: number): EntryChunks | null {
  const kept = factOf(rule, ENTRIES);
  if (kept?.priority === priority) return kept.entries;
  const { note, cidrs, ports } = shapeOf(rule);
  const policy = CLOUD_POLICY[rule.action];
  const json: JsonValue[] = [];
  for (const cidr of cidrs) {
    for (const port of ports) {
      // Entries without a note describe their ports.
      const description = note ?? sanitizeAliyunDescription(port.text, port.text).text;
      json.push(
        entryJson(direction, port.protocol.toUpperCase(), `${port.from}/${port.to}`, cidr, {
          policy,
          priority,
          description,
        }),
      );
    }
  }
  return keepFact(rule, ENTRIES, { priority, entries: json.length === 0 ? null : entryChunks(json) }).entries;
}

/**
 * The provider denies unmatched inbound traffic and allows unmatched outbound
 * traffic; a different default needs all-traffic entries below every rule.
 */
function defaultEntries(
  ruleSet: RuleSet,
  direction: Direction,
  rules: readonly Rule[],
  priorities: readonly number[],
  base: number,
  diagnostics: TargetDiagnostics,
): DirectionPlan["fallback"] {
  const range = defaultRange(ruleSet);
  if (ruleSet.default === "reject") rejectIsDrop(range, diagnostics);
  const provider: DefaultAction = direction === "inbound" ? "drop" : "accept";
  const wanted: CloudPolicy = ruleSet.default === "accept" ? "accept" : "drop";
  if ((provider === "accept") === (wanted === "accept")) return null;
  // Every rule overlaps "all traffic", so it comes after all of them.
  let priority = base;
  rules.forEach((rule, i) => {
    const strict = CLOUD_POLICY[rule.action] === "accept" && wanted === "drop" ? 1 : 0;
    priority = Math.max(priority, priorities[i] + strict);
  });
  if (priority > ALIYUN_MAX_PRIORITY) {
    diagnostics.add("target.limit", range, {
      en: `The ${DIRECTION_TEXT[direction].en} default needs priority ${priority}, above Alibaba Cloud's maximum of ${ALIYUN_MAX_PRIORITY}. Lower targets.aliyun.priority or reorder overlapping allow and deny rules.`,
      "zh-cn": `${DIRECTION_TEXT[direction]["zh-cn"]}默认策略需要优先级 ${priority}，超过阿里云上限 ${ALIYUN_MAX_PRIORITY}。请降低 targets.aliyun.priority，或调整相互重叠的允许与拒绝规则的顺序。`,
    });
  }
  return { policy: wanted, priority, description: `${direction} default ${ruleSet.default}` };
}

function entryJson(
  direction: Direction,
  protocol: string,
  portRange: string,
  cidr: Cidr,
  fields: { policy: CloudPolicy; priority: number; description: string },
): { [key: string]: JsonValue } {
  // One literal per field name keeps each entry a plain fast object (a computed key would not).
  const text = formatCidr(cidr);
  const Policy = fields.policy;
  const Priority = String(fields.priority);
  const Description = fields.description;
  if (direction === "inbound") {
    return cidr.family === 4
      ? { IpProtocol: protocol, PortRange: portRange, SourceCidrIp: text, Policy, Priority, Description }
      : { IpProtocol: protocol, PortRange: portRange, Ipv6SourceCidrIp: text, Policy, Priority, Description };
  }
  return cidr.family === 4
    ? { IpProtocol: protocol, PortRange: portRange, DestCidrIp: text, Policy, Priority, Description }
    : { IpProtocol: protocol, PortRange: portRange, Ipv6DestCidrIp: text, Policy, Priority, Description };
}

/**
 * The smallest priorities that keep first-match results: each rule gets at
 * least the priority of every earlier rule it overlaps, one more after an
 * overlapping accept when it drops.
 */
export function assignPriorities(rules: readonly Rule[], base: number): number[] {
  const overlaps = earlierOverlaps(rules);
  const priorities: number[] = [];
  rules.forEach((rule, k) => {
    const drops = CLOUD_POLICY[rule.action] === "drop";
    let p = base;
    for (const i of overlaps[k]) {
      const strict = drops && CLOUD_POLICY[rules[i].action] === "accept" ? 1 : 0;
      if (priorities[i] + strict > p) p = priorities[i] + strict;
    }
    priorities.push(p);
  });
  return priorities;
}

function priorityLimit(rule: Rule, priority: number, diagnostics: TargetDiagnostics): void {
  diagnostics.add(
    "target.limit",
    rule.actionRange,
    {
      en: `This rule needs Alibaba Cloud priority ${priority}, above the maximum of ${ALIYUN_MAX_PRIORITY}: too many overlapping allow and deny rules come before it. Lower targets.aliyun.priority or merge rules.`,
      "zh-cn": `此规则需要阿里云优先级 ${priority}，超过上限 ${ALIYUN_MAX_PRIORITY}：它之前有太多相互重叠的允许与拒绝规则。请降低 targets.aliyun.priority 或合并规则。`,
    },
    rule,
  );
}

function rejectIsDrop(range: Rule["range"], diagnostics: TargetDiagnostics, rule?: Rule): void {
  diagnostics.add(
    "target.unsupported",
    range,
    {
      en: "Alibaba Cloud security groups cannot refuse a connection: reject becomes a silent drop there, so clients time out instead of being refused. Use deny to say so, or keep reject for iptables.",
      "zh-cn":
        "阿里云安全组无法拒绝并回复连接：reject 在此变为静默丢弃，客户端会超时而不是立即被拒绝。可改用 deny 明确这一点，或仅在 iptables 中保留 reject。",
    },
    rule,
    "info",
  );
}
