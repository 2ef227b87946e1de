/**
 * AWS EC2 security-group permissions, in the shape of
 * `aws ec2 describe-security-groups` (`IpPermissions`, `IpPermissionsEgress`).
 *
 * Security groups only allow, in no order. So the generator emits the allowed
 * set: each allow rule minus everything earlier deny/reject rules match, which
 * is exact for TCP and UDP, the only protocols a policy names.
 */
import { ANY4, ANY6, FAMILY_BITS, formatAddress, formatCidr, intervalToPrefixes, prefixBits } from "../addresses";
import { type MatchBox, ruleBoxes, subtractAll } from "../match";
import type { AddressFamily, Cidr, Direction, Lang, Policy, Protocol, Rule, RuleSet, TextRange } from "../model";
import { OverlapIndex, PrefixMap } from "../overlap";
import { type SanitizedText, sanitizeAwsDescription } from "../sanitize";
import {
  DIRECTION_TEXT,
  defaultRange,
  outputOfText,
  type PlannedDocument,
  plannedDocument,
  portLabel,
  ruleRef,
  TargetDiagnostics,
} from "./common";
import { type JsonValue, renderJson, tagRule } from "./json";

/** Rules per direction and address family in one security group (adjustable quota). */
export const AWS_MAX_RULES = 60;

/** One permission while it is being built: ranges per family, in the order they are written. */
interface Permission {
  readonly protocol: Protocol | "-1";
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly ranges: Record<AddressFamily, RangeEntry[]>;
  /** The same prefixes as a trie, to skip one already inside another in near-constant time. */
  readonly covered: Record<AddressFamily, PrefixMap<true>>;
}

interface RangeEntry {
  readonly family: AddressFamily;
  /** The policy's own prefix, when the range is exactly one; its text is already known. */
  readonly cidr: Cidr | undefined;
  /** Otherwise the range's first address and prefix length, printed only when rendering. */
  readonly lo: bigint;
  readonly prefix: number;
  readonly description: string;
  /** Null for ranges that stand for the direction's default. */
  readonly rule: Rule | null;
}

/**
 * The security group: the allowed set, quotas and notes are decided (and their
 * diagnostics made) now; the JSON text only when `render` is called.
 */
export function renderAws(policy: Policy, lang: Lang): PlannedDocument {
  const diagnostics = new TargetDiagnostics(lang);
  const groupId = policy.targets.aws?.groupId;
  const inbound = allowedSet(policy.inbound, "inbound", diagnostics);
  const outbound = allowedSet(policy.outbound, "outbound", diagnostics);
  return plannedDocument(diagnostics.items, () => {
    const doc: { [key: string]: JsonValue } = {};
    if (groupId !== undefined) doc.GroupId = groupId;
    doc.IpPermissions = inbound.map(permissionJson);
    doc.IpPermissionsEgress = outbound.map(permissionJson);
    const { text, lineRules } = renderJson(doc);
    return outputOfText(text, lineRules);
  });
}

function allowedSet(ruleSet: RuleSet, direction: Direction, diagnostics: TargetDiagnostics): Permission[] {
  const permissions = new Map<number, Permission>();
  const cut: MatchBox[] = [];
  // Earlier deny/reject boxes, indexed so each allow is cut only by those it meets.
  const cutIndex = new OverlapIndex<MatchBox>();
  // The cut boxes one allow box meets, each once, in the order the index finds them
  // (one list and one callback for all boxes: most allow boxes meet none).
  const meets: MatchBox[] = [];
  const met = new Set<MatchBox>();
  const meet = (c: MatchBox) => {
    if (met.has(c)) return;
    met.add(c);
    meets.push(c);
  };
  for (const rule of ruleSet.rules) {
    const boxes = ruleBoxes(rule);
    if (boxes.length === 0) continue;
    if (rule.action !== "allow") {
      if (rule.action === "reject") rejectIsDeny(rule.actionRange, diagnostics, rule);
      for (const box of boxes) {
        cut.push(box);
        cutIndex.add(box, box);
      }
      continue;
    }
    let note: string | undefined;
    if (rule.note !== undefined) {
      const sanitized = sanitizedNote(rule.note);
      if (sanitized.changed) {
        diagnostics.noteChanged(rule, "AWS", {
          en: "ASCII letters, digits, spaces and ._-:/()#,@[]+=&;{}!$* only, at most 255 characters",
          "zh-cn": "只能包含 ASCII 字母、数字、空格和 ._-:/()#,@[]+=&;{}!$*，最多 255 个字符",
        });
      }
      // Nothing left: each permission falls back to its own ports' text below.
      if (sanitized.text !== "") note = sanitized.text;
    }
    let pieces = boxes;
    if (cut.length > 0) {
      const rest: MatchBox[] = [];
      for (const box of boxes) {
        meets.length = 0;
        met.clear();
        cutIndex.query(box, meet);
        if (meets.length === 0) rest.push(box);
        else for (const piece of subtractAll([box], meets)) rest.push(piece);
      }
      pieces = rest;
    }
    addPieces(permissions, pieces, rule, note);
  }
  const range = defaultRange(ruleSet);
  if (ruleSet.default === "reject") rejectIsDeny(range, diagnostics);
  if (ruleSet.default === "accept") {
    const description = `${direction} default accept`;
    if (cut.length === 0) {
      const all = permission(permissions, "-1");
      for (const cidr of [ANY4, ANY6]) {
        all.ranges[cidr.family].push({ family: cidr.family, cidr, lo: 0n, prefix: 0, description, rule: null });
        all.covered[cidr.family].add("", true);
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
      addPieces(permissions, pieces, null, description);
      diagnostics.add("target.unsupported", range, {
        en: `AWS security groups only allow: with deny or reject rules, the ${DIRECTION_TEXT[direction].en} default accept is written as "all TCP and UDP except what those rules match", so ICMP and other protocols are no longer allowed. Add them in AWS by hand if you need them.`,
        "zh-cn": `AWS 安全组只能允许：存在 deny 或 reject 规则时，${DIRECTION_TEXT[direction]["zh-cn"]}的默认 accept 被写成“除这些规则匹配的流量外的全部 TCP 和 UDP”，因此 ICMP 和其他协议不再被允许。如有需要，请在 AWS 中手动添加。`,
      });
    }
  }
  // Each CIDR of each permission is one rule of the AWS quota, counted in the order they are written.
  const counts: Record<AddressFamily, number> = { 4: 0, 6: 0 };
  for (const p of permissions.values()) {
    for (const family of [4, 6] as const) {
      const entries = p.ranges[family];
      const before = counts[family];
      counts[family] += entries.length;
      if (before <= AWS_MAX_RULES && AWS_MAX_RULES < counts[family]) {
        quotaExceeded(direction, family, entries[AWS_MAX_RULES - before], range, diagnostics);
      }
    }
  }
  return [...permissions.values()];
}

/**
 * Adds allowed boxes: per port range, their addresses merged and cut into the
 * fewest prefixes. Each permission's ranges are described by `description`,
 * or else by the rule's ports.
 */
function addPieces(
  permissions: Map<number, Permission>,
  pieces: readonly MatchBox[],
  rule: Rule | null,
  description: string | undefined,
): void {
  // Most rules allow one port from one prefix: one box, nothing to group.
  if (pieces.length === 1) {
    addGroup(permissions, pieces, rule, description);
    return;
  }
  const byPorts = new Map<number, MatchBox[]>();
  for (const box of pieces) {
    const key = portsKey(box.protocol, box.portLo, box.portHi) * 2 + (box.family === 6 ? 1 : 0);
    const list = byPorts.get(key);
    if (list) list.push(box);
    else byPorts.set(key, [box]);
  }
  for (const boxes of byPorts.values()) addGroup(permissions, boxes, rule, description);
}

/** Boxes of one protocol, family and port range, into their permission. */
function addGroup(
  permissions: Map<number, Permission>,
  boxes: readonly MatchBox[],
  rule: Rule | null,
  note: string | undefined,
): void {
  const { protocol, family, portLo, portHi } = boxes[0];
  const target = permission(permissions, protocol, portLo, portHi);
  const description = note ?? portsDescription(rule!, boxes[0]);
  const ranges = target.ranges[family];
  const covered = target.covered[family];
  // The same CIDR twice in one permission is an API error; one inside an earlier one is noise.
  // Merged intervals are disjoint, so only prefixes from earlier calls can contain these
  // (and each is filed at once: none of its siblings is inside it).
  const sorted = boxes.length === 1 ? boxes : byFirstAddress(boxes);
  if (wholeApart(sorted)) {
    // Each box is a policy prefix that nothing cut and no other touches: merging would give it back.
    for (const box of sorted) {
      const prefix = box.prefix!;
      if (covered.hasContaining(prefix.bits)) continue;
      ranges.push({ family, cidr: prefix.cidr, lo: box.lo, prefix: prefix.cidr.prefix, description, rule });
      covered.add(prefix.bits, true);
    }
  } else {
    for (const [lo, hi] of mergeIntervals(sorted)) {
      for (const [start, prefix] of intervalToPrefixes(family, lo, hi)) {
        const bits = prefixBits(family, start, prefix);
        if (covered.hasContaining(bits)) continue;
        ranges.push({ family, cidr: undefined, lo: start, prefix, description, rule });
        covered.add(bits, true);
      }
    }
  }
}

/**
 * The boxes in address order, equal starts in their given order. An insertion
 * sort for the usual few boxes of a rule per port range: a sort call per group
 * allocated more than everything else here.
 */
function byFirstAddress(boxes: readonly MatchBox[]): MatchBox[] {
  const out = boxes.slice();
  // Many pieces (a default's complement) take the engine's sort, stable as this one.
  if (out.length > 16) return out.sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  for (let i = 1; i < out.length; i++) {
    const box = out[i];
    let j = i;
    while (j > 0 && out[j - 1].lo > box.lo) {
      out[j] = out[j - 1];
      j--;
    }
    out[j] = box;
  }
  return out;
}

// Sanitizing is pure and the same notes and port texts come back on every check: keep the answers.
const NOTE_CACHE = new Map<string, SanitizedText>();
const PORTS_CACHE = new Map<string, string>();
const CACHE_LIMIT = 4096;

function sanitizedNote(note: string): SanitizedText {
  let sanitized = NOTE_CACHE.get(note);
  if (sanitized === undefined) {
    if (NOTE_CACHE.size >= CACHE_LIMIT) NOTE_CACHE.clear();
    sanitized = sanitizeAwsDescription(note, "");
    NOTE_CACHE.set(note, sanitized);
  }
  return sanitized;
}

/** The description of a rule's box without a note: the text of the ports it came from. */
function portsDescription(rule: Rule, box: MatchBox): string {
  // A rule with one port spec made every box from it.
  const label =
    rule.ports.length === 1
      ? rule.ports[0].text
      : portLabel(rule.ports.filter((p) => p.protocol === box.protocol && p.from <= box.portLo && box.portHi <= p.to));
  let description = PORTS_CACHE.get(label);
  if (description === undefined) {
    if (PORTS_CACHE.size >= CACHE_LIMIT) PORTS_CACHE.clear();
    description = sanitizeAwsDescription(label, label).text;
    PORTS_CACHE.set(label, description);
  }
  return description;
}

/** Boxes in address order that are whole policy prefixes, neither overlapping nor adjacent. */
function wholeApart(sorted: readonly MatchBox[]): boolean {
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i].prefix === undefined) return false;
    if (i > 0 && sorted[i].lo <= sorted[i - 1].hi + 1n) return false;
  }
  return true;
}

/** Boxes sorted by their first address, overlapping or adjacent ones joined. */
function mergeIntervals(sorted: readonly MatchBox[]): [bigint, bigint][] {
  const out: [bigint, bigint][] = [];
  for (const b of sorted) {
    const last = out[out.length - 1];
    if (last && b.lo <= last[1] + 1n) {
      if (b.hi > last[1]) last[1] = b.hi;
    } else out.push([b.lo, b.hi]);
  }
  return out;
}

/** A number per protocol and port range (ports fit 16 bits); -1 for all traffic. */
function portsKey(protocol: Protocol | "-1", fromPort?: number, toPort?: number): number {
  if (protocol === "-1" || fromPort === undefined || toPort === undefined) return -1;
  return (fromPort * 65536 + toPort) * 2 + (protocol === "udp" ? 1 : 0);
}

function permission(
  permissions: Map<number, Permission>,
  protocol: Protocol | "-1",
  fromPort?: number,
  toPort?: number,
): Permission {
  const key = portsKey(protocol, fromPort, toPort);
  let p = permissions.get(key);
  if (!p) {
    p = {
      protocol,
      fromPort,
      toPort,
      ranges: { 4: [], 6: [] },
      covered: { 4: new PrefixMap(), 6: new PrefixMap() },
    };
    permissions.set(key, p);
  }
  return p;
}

function rangeText(entry: RangeEntry): string {
  return entry.cidr ? formatCidr(entry.cidr) : `${formatAddress(entry.family, entry.lo)}/${entry.prefix}`;
}

/** One permission as describe-security-groups prints it. */
function permissionJson(p: Permission): JsonValue {
  const json: { [key: string]: JsonValue } = { IpProtocol: p.protocol };
  if (p.fromPort !== undefined && p.toPort !== undefined) {
    json.FromPort = p.fromPort;
    json.ToPort = p.toPort;
  }
  for (const family of [4, 6] as const) {
    const items: JsonValue[] = [];
    for (const entry of p.ranges[family]) {
      const item: { [key: string]: JsonValue } =
        family === 4
          ? { CidrIp: rangeText(entry), Description: entry.description }
          : { CidrIpv6: rangeText(entry), Description: entry.description };
      items.push(tagRule(item, entry.rule && ruleRef(entry.rule)));
    }
    json[family === 4 ? "IpRanges" : "Ipv6Ranges"] = items;
  }
  const first = (p.ranges[4][0] ?? p.ranges[6][0])?.rule ?? null;
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
