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
import { formatCidr } from "../addresses";
import { ruleBoxes } from "../match";
import type { Action, AddressFamily, Cidr, DefaultAction, Direction, Lang, Policy, Rule, RuleSet } from "../model";
import { OverlapIndex } from "../overlap";
import { sanitizeAliyunDescription } from "../sanitize";
import { DIRECTION_TEXT, defaultRange, distinctPorts, familyCidrs, ruleRef, TargetDiagnostics } from "./common";
import { type JsonDocument, type JsonValue, renderJson, tagRule } from "./json";

/** The largest priority Alibaba Cloud accepts. */
export const ALIYUN_MAX_PRIORITY = 100;
/** Rules across all security groups of one network interface. */
export const ALIYUN_MAX_ENTRIES = 1000;

type CloudPolicy = "accept" | "drop";

const CLOUD_POLICY: Record<Action, CloudPolicy> = { allow: "accept", deny: "drop", reject: "drop" };

/** The security group as JSON, with its per-line rule map and diagnostics. */
export function renderAliyun(policy: Policy, lang: Lang): JsonDocument & { diagnostics: TargetDiagnostics["items"] } {
  const options = policy.targets.aliyun;
  const base = options?.priority ?? 1;
  const diagnostics = new TargetDiagnostics(lang);
  const ingress = directionEntries(policy.inbound, "inbound", base, diagnostics);
  const egress = directionEntries(policy.outbound, "outbound", base, diagnostics);
  const all = [...ingress, ...egress];
  if (all.length > ALIYUN_MAX_ENTRIES) {
    const over = all[ALIYUN_MAX_ENTRIES];
    diagnostics.add(
      "target.limit",
      over.rule?.actionRange ?? defaultRange(policy[over.direction]),
      {
        en: `This policy needs ${all.length} Alibaba Cloud security-group rules; one network interface allows at most ${ALIYUN_MAX_ENTRIES}. Merge sources into fewer prefixes or ports into ranges.`,
        "zh-cn": `此策略需要 ${all.length} 条阿里云安全组规则，一个网卡最多允许 ${ALIYUN_MAX_ENTRIES} 条。请把来源合并为更少的网段，或把端口合并为范围。`,
      },
      over.rule ?? undefined,
    );
  }
  const doc: { [key: string]: JsonValue } = {};
  if (options?.regionId !== undefined) doc.RegionId = options.regionId;
  if (options?.securityGroupId !== undefined) doc.SecurityGroupId = options.securityGroupId;
  doc.Ingress = ingress.map((e) => e.json);
  doc.Egress = egress.map((e) => e.json);
  return { ...renderJson(doc), diagnostics: diagnostics.items };
}

interface Entry {
  readonly direction: Direction;
  /** Null for the entries that stand for the direction's default. */
  readonly rule: Rule | null;
  readonly json: { [key: string]: JsonValue };
}

function directionEntries(ruleSet: RuleSet, direction: Direction, base: number, diagnostics: TargetDiagnostics) {
  const rules = ruleSet.rules.filter((r) => r.ports.length > 0 && r.peers.some((p) => p.cidrs.length > 0));
  const priorities = assignPriorities(rules, base);
  const entries: Entry[] = [];
  // The first rule over the limit is reported; every later overlapping one follows from it.
  const firstOver = priorities.findIndex((p) => p > ALIYUN_MAX_PRIORITY);
  if (firstOver >= 0) priorityLimit(rules[firstOver], priorities[firstOver], diagnostics);
  rules.forEach((rule, k) => {
    const priority = priorities[k];
    if (rule.action === "reject") rejectIsDrop(rule.actionRange, diagnostics, rule);
    let note: string | undefined;
    if (rule.note !== undefined) {
      const sanitized = sanitizeAliyunDescription(rule.note, "");
      if (sanitized.changed) {
        diagnostics.noteChanged(rule, "Alibaba Cloud", {
          en: "no control characters, 1 to 512 characters",
          "zh-cn": "不含控制字符，1 到 512 个字符",
        });
      }
      if (sanitized.text !== "") note = sanitized.text;
    }
    const cidrs = [...familyCidrs(rule, 4), ...familyCidrs(rule, 6)];
    for (const cidr of cidrs) {
      for (const port of distinctPorts(rule.ports)) {
        const json = entryJson(direction, port.protocol.toUpperCase(), `${port.from}/${port.to}`, cidr, {
          policy: CLOUD_POLICY[rule.action],
          priority,
          description: note ?? sanitizeAliyunDescription(port.text, port.text).text,
        });
        entries.push({ direction, rule, json: tagRule(json, ruleRef(rule)) });
      }
    }
  });
  entries.push(...defaultEntries(ruleSet, direction, rules, priorities, base, diagnostics));
  return entries;
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
): Entry[] {
  const range = defaultRange(ruleSet);
  if (ruleSet.default === "reject") rejectIsDrop(range, diagnostics);
  const provider: DefaultAction = direction === "inbound" ? "drop" : "accept";
  const wanted: CloudPolicy = ruleSet.default === "accept" ? "accept" : "drop";
  if ((provider === "accept") === (wanted === "accept")) return [];
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
  const description = `${direction} default ${ruleSet.default}`;
  const all: Cidr[] = [
    { family: 4, address: "0.0.0.0", prefix: 0 },
    { family: 6, address: "::", prefix: 0 },
  ];
  return all.map((cidr) => ({
    direction,
    rule: null,
    json: entryJson(direction, "ALL", "-1/-1", cidr, { policy: wanted, priority, description }),
  }));
}

function entryJson(
  direction: Direction,
  protocol: string,
  portRange: string,
  cidr: Cidr,
  fields: { policy: CloudPolicy; priority: number; description: string },
): { [key: string]: JsonValue } {
  return {
    IpProtocol: protocol,
    PortRange: portRange,
    [cidrField(direction, cidr.family)]: formatCidr(cidr),
    Policy: fields.policy,
    Priority: String(fields.priority),
    Description: fields.description,
  };
}

function cidrField(direction: Direction, family: AddressFamily): string {
  if (direction === "inbound") return family === 4 ? "SourceCidrIp" : "Ipv6SourceCidrIp";
  return family === 4 ? "DestCidrIp" : "Ipv6DestCidrIp";
}

/**
 * The smallest priorities that keep first-match results: each rule gets at
 * least the priority of every earlier rule it overlaps, one more after an
 * overlapping accept when it drops.
 */
export function assignPriorities(rules: readonly Rule[], base: number): number[] {
  const earlier = overlappingEarlier(rules);
  const priorities: number[] = [];
  rules.forEach((rule, k) => {
    let p = base;
    for (const i of earlier[k]) {
      const strict = CLOUD_POLICY[rules[i].action] === "accept" && CLOUD_POLICY[rule.action] === "drop" ? 1 : 0;
      p = Math.max(p, priorities[i] + strict);
    }
    priorities.push(p);
  });
  return priorities;
}

/**
 * For each rule, the indices of earlier rules that share at least one packet,
 * found through an overlap index so disjoint rules cost no pairwise checks.
 */
function overlappingEarlier(rules: readonly Rule[]): Set<number>[] {
  const index = new OverlapIndex<number>();
  return rules.map((rule, k) => {
    const boxes = ruleBoxes(rule);
    const earlier = new Set<number>();
    for (const box of boxes) index.query(box, (i) => earlier.add(i));
    for (const box of boxes) index.add(box, k);
    return earlier;
  });
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
