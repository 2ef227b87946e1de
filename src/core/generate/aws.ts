/**
 * AWS EC2 security-group permissions, in the shape of
 * `aws ec2 describe-security-groups` (`IpPermissions`, `IpPermissionsEgress`).
 *
 * Security groups only allow, in no order. So the generator emits the allowed
 * set: each allow rule minus everything earlier deny/reject rules match, which
 * is exact for TCP and UDP, the only protocols a policy names.
 */
import { cidrToInterval, FAMILY_BITS, formatCidr, intervalToCidrs } from "../addresses";
import { type MatchBox, ruleBoxes, subtractAll } from "../match";
import type { AddressFamily, Cidr, Direction, Lang, Policy, Protocol, Rule, RuleSet, TextRange } from "../model";
import { OverlapIndex } from "../overlap";
import { sanitizeAwsDescription } from "../sanitize";
import { DIRECTION_TEXT, defaultRange, portLabel, ruleRef, TargetDiagnostics } from "./common";
import { type JsonDocument, type JsonValue, renderJson, tagRule } from "./json";

/** Rules per direction and address family in one security group (adjustable quota). */
export const AWS_MAX_RULES = 60;

/** One permission while it is being built: ranges per family, keyed by CIDR text. */
interface Permission {
  readonly protocol: Protocol | "-1";
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly ranges: Record<AddressFamily, Map<string, RangeEntry>>;
  /** The same prefixes as a trie, to skip one already inside another in near-constant time. */
  readonly covered: Record<AddressFamily, PrefixTrie>;
}

/** Marks prefixes; answers whether a prefix lies inside a marked one. */
interface PrefixTrie {
  marked?: boolean;
  zero?: PrefixTrie;
  one?: PrefixTrie;
}

function insideMarked(trie: PrefixTrie, family: AddressFamily, lo: bigint, prefix: number): boolean {
  const bits = FAMILY_BITS[family];
  let node: PrefixTrie | undefined = trie;
  for (let depth = 0; node && depth <= prefix; depth++) {
    if (node.marked) return true;
    if (depth === prefix) break;
    node = ((lo >> BigInt(bits - 1 - depth)) & 1n) === 0n ? node.zero : node.one;
  }
  return false;
}

function mark(trie: PrefixTrie, family: AddressFamily, lo: bigint, prefix: number): void {
  const bits = FAMILY_BITS[family];
  let node = trie;
  for (let depth = 0; depth < prefix; depth++) {
    if (((lo >> BigInt(bits - 1 - depth)) & 1n) === 0n) {
      node.zero ??= {};
      node = node.zero;
    } else {
      node.one ??= {};
      node = node.one;
    }
  }
  node.marked = true;
}

interface RangeEntry {
  readonly cidr: Cidr;
  readonly lo: bigint;
  readonly hi: bigint;
  readonly description: string;
  /** Null for ranges that stand for the direction's default. */
  readonly rule: Rule | null;
}

/** The security group as JSON, with its per-line rule map and diagnostics. */
export function renderAws(policy: Policy, lang: Lang): JsonDocument & { diagnostics: TargetDiagnostics["items"] } {
  const diagnostics = new TargetDiagnostics(lang);
  const doc: { [key: string]: JsonValue } = {};
  if (policy.targets.aws?.groupId !== undefined) doc.GroupId = policy.targets.aws.groupId;
  doc.IpPermissions = allowedSet(policy.inbound, "inbound", diagnostics);
  doc.IpPermissionsEgress = allowedSet(policy.outbound, "outbound", diagnostics);
  return { ...renderJson(doc), diagnostics: diagnostics.items };
}

function allowedSet(ruleSet: RuleSet, direction: Direction, diagnostics: TargetDiagnostics): JsonValue[] {
  const permissions = new Map<string, Permission>();
  const cut: MatchBox[] = [];
  // Earlier deny/reject boxes, indexed so each allow is cut only by those it meets.
  const cutIndex = new OverlapIndex<MatchBox>();
  for (const rule of ruleSet.rules) {
    const boxes = ruleBoxes(rule);
    if (boxes.length === 0) continue;
    if (rule.action !== "allow") {
      if (rule.action === "reject") rejectIsDeny(rule.actionRange, diagnostics, rule);
      cut.push(...boxes);
      for (const box of boxes) cutIndex.add(box, box);
      continue;
    }
    let note: string | undefined;
    if (rule.note !== undefined) {
      const sanitized = sanitizeAwsDescription(rule.note, "");
      if (sanitized.changed) {
        diagnostics.noteChanged(rule, "AWS", {
          en: "ASCII letters, digits, spaces and ._-:/()#,@[]+=&;{}!$* only, at most 255 characters",
          "zh-cn": "只能包含 ASCII 字母、数字、空格和 ._-:/()#,@[]+=&;{}!$*，最多 255 个字符",
        });
      }
      // Nothing left: each permission falls back to its own ports' text below.
      if (sanitized.text !== "") note = sanitized.text;
    }
    const pieces = boxes.flatMap((box) => {
      const meets = new Set<MatchBox>();
      cutIndex.query(box, (c) => meets.add(c));
      return meets.size === 0 ? [box] : subtractAll([box], [...meets]);
    });
    addPieces(permissions, pieces, rule, (box) => {
      if (note !== undefined) return note;
      const covering = rule.ports.filter(
        (p) => p.protocol === box.protocol && p.from <= box.portLo && box.portHi <= p.to,
      );
      return sanitizeAwsDescription(portLabel(covering), portLabel(covering)).text;
    });
  }
  const range = defaultRange(ruleSet);
  if (ruleSet.default === "reject") rejectIsDeny(range, diagnostics);
  if (ruleSet.default === "accept") {
    const description = `${direction} default accept`;
    if (cut.length === 0) {
      const all = permission(permissions, "-1");
      for (const family of [4, 6] as const) {
        const cidr = everything(family);
        const iv = cidrToInterval(cidr);
        all.ranges[family].set(formatCidr(cidr), { cidr, lo: iv.lo, hi: iv.hi, description, rule: null });
        mark(all.covered[family], family, iv.lo, cidr.prefix);
      }
    } else {
      const pieces: MatchBox[] = [];
      for (const protocol of ["tcp", "udp"] as const) {
        for (const family of [4, 6] as const) {
          const hi = (1n << BigInt(FAMILY_BITS[family])) - 1n;
          // Every port a policy can name; port 0 is no real destination.
          pieces.push(...subtractAll([{ protocol, family, lo: 0n, hi, portLo: 1, portHi: 65535 }], cut));
        }
      }
      addPieces(permissions, pieces, null, () => description);
      diagnostics.add("target.unsupported", range, {
        en: `AWS security groups only allow: with deny or reject rules, the ${DIRECTION_TEXT[direction].en} default accept is written as "all TCP and UDP except what those rules match", so ICMP and other protocols are no longer allowed. Add them in AWS by hand if you need them.`,
        "zh-cn": `AWS 安全组只能允许：存在 deny 或 reject 规则时，${DIRECTION_TEXT[direction]["zh-cn"]}的默认 accept 被写成“除这些规则匹配的流量外的全部 TCP 和 UDP”，因此 ICMP 和其他协议不再被允许。如有需要，请在 AWS 中手动添加。`,
      });
    }
  }
  const counts: Record<AddressFamily, number> = { 4: 0, 6: 0 };
  return [...permissions.values()].map((p) => permissionJson(p, direction, range, counts, diagnostics));
}

/** Adds allowed boxes: per port range, their addresses merged and cut into the fewest prefixes. */
function addPieces(
  permissions: Map<string, Permission>,
  pieces: readonly MatchBox[],
  rule: Rule | null,
  describe: (box: MatchBox) => string,
): void {
  const byPorts = new Map<string, MatchBox[]>();
  for (const box of pieces) {
    const key = `${box.protocol}/${box.family}/${box.portLo}/${box.portHi}`;
    const list = byPorts.get(key) ?? [];
    byPorts.set(key, list);
    list.push(box);
  }
  for (const boxes of byPorts.values()) {
    const { protocol, family, portLo, portHi } = boxes[0];
    const target = permission(permissions, protocol, portLo, portHi);
    const description = describe(boxes[0]);
    const ranges = target.ranges[family];
    // The same CIDR twice in one permission is an API error; one inside an earlier one is noise.
    // Merged intervals are disjoint, so only prefixes from earlier calls can contain these.
    const fresh: [bigint, number][] = [];
    for (const [lo, hi] of mergeIntervals(boxes)) {
      for (const cidr of intervalToCidrs(family, lo, hi)) {
        const iv = cidrToInterval(cidr);
        if (insideMarked(target.covered[family], family, iv.lo, cidr.prefix)) continue;
        ranges.set(formatCidr(cidr), { cidr, lo: iv.lo, hi: iv.hi, description, rule });
        fresh.push([iv.lo, cidr.prefix]);
      }
    }
    for (const [lo, prefix] of fresh) mark(target.covered[family], family, lo, prefix);
  }
}

function mergeIntervals(boxes: readonly MatchBox[]): [bigint, bigint][] {
  const sorted = [...boxes].sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  const out: [bigint, bigint][] = [];
  for (const b of sorted) {
    const last = out[out.length - 1];
    if (last && b.lo <= last[1] + 1n) {
      if (b.hi > last[1]) last[1] = b.hi;
    } else out.push([b.lo, b.hi]);
  }
  return out;
}

function permission(
  permissions: Map<string, Permission>,
  protocol: Protocol | "-1",
  fromPort?: number,
  toPort?: number,
): Permission {
  const key = `${protocol}/${fromPort}/${toPort}`;
  let p = permissions.get(key);
  if (!p) {
    p = { protocol, fromPort, toPort, ranges: { 4: new Map(), 6: new Map() }, covered: { 4: {}, 6: {} } };
    permissions.set(key, p);
  }
  return p;
}

function everything(family: AddressFamily): Cidr {
  return family === 4 ? { family, address: "0.0.0.0", prefix: 0 } : { family, address: "::", prefix: 0 };
}

/** Renders one permission, counting each CIDR as one rule of the AWS quota. */
function permissionJson(
  p: Permission,
  direction: Direction,
  range: TextRange,
  counts: Record<AddressFamily, number>,
  diagnostics: TargetDiagnostics,
): JsonValue {
  const json: { [key: string]: JsonValue } = { IpProtocol: p.protocol };
  if (p.fromPort !== undefined && p.toPort !== undefined) {
    json.FromPort = p.fromPort;
    json.ToPort = p.toPort;
  }
  for (const family of [4, 6] as const) {
    const items: JsonValue[] = [];
    for (const entry of p.ranges[family].values()) {
      counts[family]++;
      if (counts[family] === AWS_MAX_RULES + 1) quotaExceeded(direction, family, entry, range, diagnostics);
      const item: { [key: string]: JsonValue } =
        family === 4
          ? { CidrIp: formatCidr(entry.cidr), Description: entry.description }
          : { CidrIpv6: formatCidr(entry.cidr), Description: entry.description };
      items.push(tagRule(item, entry.rule && ruleRef(entry.rule)));
    }
    json[family === 4 ? "IpRanges" : "Ipv6Ranges"] = items;
  }
  const first = [...p.ranges[4].values(), ...p.ranges[6].values()][0]?.rule ?? null;
  return tagRule(json, first && ruleRef(first));
}

function quotaExceeded(
  direction: Direction,
  family: AddressFamily,
  entry: RangeEntry,
  range: TextRange,
  diagnostics: TargetDiagnostics,
): void {
  const dir = DIRECTION_TEXT[direction];
  diagnostics.add(
    "target.limit",
    entry.rule?.actionRange ?? range,
    {
      en: `The AWS security group needs more than ${AWS_MAX_RULES} ${dir.en} IPv${family} rules (each CIDR of each port range counts once), over the default quota. Merge sources or ports, or raise the quota.`,
      "zh-cn": `AWS 安全组需要超过 ${AWS_MAX_RULES} 条${dir["zh-cn"]} IPv${family} 规则（每个端口范围的每个网段各算一条），超过默认配额。请合并来源或端口，或申请提高配额。`,
    },
    entry.rule ?? undefined,
  );
}

function rejectIsDeny(range: TextRange, diagnostics: TargetDiagnostics, rule?: Rule): void {
  diagnostics.add(
    "target.unsupported",
    range,
    {
      en: "AWS security groups cannot refuse a connection: reject becomes a silent drop there, so clients time out instead of being refused. Use deny to say so, or keep reject for iptables.",
      "zh-cn":
        "AWS 安全组无法拒绝并回复连接：reject 在此变为静默丢弃，客户端会超时而不是立即被拒绝。可改用 deny 明确这一点，或仅在 iptables 中保留 reject。",
    },
    rule,
    "info",
  );
}
