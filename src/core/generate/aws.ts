/**
 * AWS EC2 security-group permissions, in the shape of
 * `aws ec2 describe-security-groups` (`IpPermissions`, `IpPermissionsEgress`).
 *
 * Security groups only allow, in no order. So the generator emits the allowed
 * set: each allow rule minus everything earlier deny/reject rules match, which
 * is exact for TCP and UDP, the only protocols a policy names.
 */
import {
  ANY4,
  ANY6,
  FAMILY_BITS,
  formatAddress,
  formatCidr,
  intervalToPrefixes,
  prefixBits,
  prefixOf,
} from "../addresses";
import { type MatchBox, ruleBoxes, subtractAll } from "../match";
import type { AddressFamily, Cidr, Direction, Lang, Policy, Protocol, Rule, RuleSet, TextRange } from "../model";
import { earlierOverlaps, OverlapIndex, PrefixMap } from "../overlap";
import { contentSlot, factOf, keepFact } from "../rule-content";
import { type SanitizedText, sanitizeAwsDescription } from "../sanitize";
import {
  DIRECTION_TEXT,
  defaultRange,
  outputOfText,
  type PlannedDocument,
  plannedDocument,
  portLabel,
  TargetDiagnostics,
} from "./common";
import { type JsonValue, renderJson, tagRule } from "./json";

/** Rules per direction and address family in one security group (adjustable quota). */
export const AWS_MAX_RULES = 60;

/** One permission: its protocol and ports, and its ranges per family in the order they are written. */
interface Permission {
  readonly protocol: Protocol | "-1";
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly ranges: Record<AddressFamily, readonly RangeEntry[]>;
}

interface RangeEntry {
  readonly family: AddressFamily;
  /** The policy's own prefix, when the range is exactly one; its text is already known. */
  readonly cidr: Cidr | undefined;
  /** Otherwise the range's first address and prefix length, printed only when rendering. */
  readonly lo: bigint;
  readonly prefix: number;
  readonly description: string;
  /** The position of the rule that allows the range; null for the direction's default. */
  readonly rule: number | null;
}

/** Addresses to allow: a box's, or the whole family's for a default. */
type Span = Pick<MatchBox, "lo" | "hi" | "prefix">;

/**
 * What one allow rule (or a default) adds to one permission and family: its
 * addresses there, in address order, and their description. A rule's grants
 * follow from its content and the deny boxes it meets, so they are kept per
 * rule content (see rule-content.ts) and come back unchanged on the next check.
 */
interface Grant {
  /** The permission's key: see {@link portsKey}. */
  readonly key: number;
  readonly protocol: Protocol | "-1";
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly family: AddressFamily;
  readonly spans: readonly Span[];
  readonly description: string;
}

/** A rule's grants, and the deny boxes each of its boxes met (in the order met) when they were made. */
interface RuleGrants {
  readonly met: readonly (readonly MatchBox[])[] | undefined;
  readonly grants: readonly Grant[];
}

const GRANTS = contentSlot<RuleGrants>();

/** A permission's grants in rule order, with the rule of each (null: the default), and what they make. */
interface PlannedPermission {
  readonly grants: Grant[];
  readonly rules: (number | null)[];
  permission: Permission | undefined;
}

/**
 * The security group: the allowed set, quotas and notes are decided (and their
 * diagnostics made) now; the JSON text only when `render` is called.
 */
export function renderAws(policy: Policy, lang: Lang): PlannedDocument {
  const diagnostics = new TargetDiagnostics(lang);
  const groupId = policy.targets.aws?.groupId;
  awsPermissions.planned = awsPermissions.kept = 0;
  const inbound = allowedSet(policy.inbound, "inbound", diagnostics);
  const outbound = allowedSet(policy.outbound, "outbound", diagnostics);
  return plannedDocument(diagnostics.items, () => {
    const doc: { [key: string]: JsonValue } = {};
    if (groupId !== undefined) doc.GroupId = groupId;
    doc.IpPermissions = inbound.map((p) => permissionJson(p, "inbound"));
    doc.IpPermissionsEgress = outbound.map((p) => permissionJson(p, "outbound"));
    const { text, lineRules } = renderJson(doc);
    return outputOfText(text, lineRules);
  });
}

/**
 * The permissions of the latest few allowed sets, by key. A permission whose
 * grants are the same objects from the same rule positions as one of these is
 * taken as it is: an edit re-plans only the permissions its rule is in.
 */
let latestPermissions: ReadonlyMap<number, PlannedPermission>[] = [];

/** A direction's all-traffic grants, for its default accept when nothing is denied. */
const DEFAULT_ACCEPT: Partial<Record<Direction, readonly Grant[]>> = {};

/** How the latest security group came by its permissions, for tests: planned from their grants, or kept. */
export const awsPermissions = { planned: 0, kept: 0 };

/** Forgets the permissions planned so far, so the next allowed set is planned from nothing. */
export function forgetAwsPermissions(): void {
  latestPermissions = [];
}

function allowedSet(ruleSet: RuleSet, direction: Direction, diagnostics: TargetDiagnostics): Permission[] {
  const planned = new Map<number, PlannedPermission>();
  const grant = (g: Grant, rule: number | null) => {
    const p = planned.get(g.key);
    if (p) {
      p.grants.push(g);
      p.rules.push(rule);
    } else planned.set(g.key, { grants: [g], rules: [rule], permission: undefined });
  };
  const rules = ruleSet.rules;
  // Which earlier rules each rule meets: an allow that meets no deny or reject is cut by nothing.
  const overlaps = earlierOverlaps(rules);
  const cut: MatchBox[] = [];
  // Earlier deny/reject boxes, indexed (once an allow meets one) so each allow is cut only by those it meets.
  let cutIndex: OverlapIndex<MatchBox> | undefined;
  for (let k = 0; k < rules.length; k++) {
    const rule = rules[k];
    const boxes = ruleBoxes(rule);
    if (boxes.length === 0) continue;
    if (rule.action !== "allow") {
      if (rule.action === "reject") rejectIsDeny(rule.actionRange, diagnostics, rule);
      for (const box of boxes) {
        cut.push(box);
        cutIndex?.add(box, box);
      }
      continue;
    }
    if (descriptionOf(rule)?.changed) {
      diagnostics.noteChanged(rule, "AWS", {
        en: "ASCII letters, digits, spaces and ._-:/()#,@[]+=&;{}!$* only, at most 255 characters",
        "zh-cn": "只能包含 ASCII 字母、数字、空格和 ._-:/()#,@[]+=&;{}!$*，最多 255 个字符",
      });
    }
    let met: MatchBox[][] | undefined;
    if (overlaps[k].some((i) => rules[i].action !== "allow")) {
      if (!cutIndex) {
        cutIndex = new OverlapIndex<MatchBox>();
        for (const box of cut) cutIndex.add(box, box);
      }
      met = boxes.map((box) => {
        const meets: MatchBox[] = [];
        cutIndex!.query(box, (c) => {
          if (!meets.includes(c)) meets.push(c);
        });
        return meets;
      });
      if (met.every((meets) => meets.length === 0)) met = undefined;
    }
    for (const g of grantsOf(rule, boxes, met)) grant(g, k);
  }
  const range = defaultRange(ruleSet);
  if (ruleSet.default === "reject") rejectIsDeny(range, diagnostics);
  if (ruleSet.default === "accept") {
    const description = `${direction} default accept`;
    if (cut.length === 0) {
      // The same grants every time, so the permission is kept from one check to the next.
      DEFAULT_ACCEPT[direction] ??= [ANY4, ANY6].map((cidr) => ({
        key: -1,
        protocol: "-1" as const,
        family: cidr.family,
        spans: [prefixOf(cidr)],
        description,
      }));
      for (const g of DEFAULT_ACCEPT[direction]) grant(g, null);
    } else {
      const pieces: MatchBox[] = [];
      for (const protocol of ["tcp", "udp"] as const) {
        for (const family of [4, 6] as const) {
          const hi = (1n << BigInt(FAMILY_BITS[family])) - 1n;
          // Every port a policy can name; port 0 is no real destination.
          pieces.push(...subtractAll([{ protocol, family, lo: 0n, hi, portLo: 1, portHi: 65535 }], cut));
        }
      }
      for (const g of grantsOfPieces(pieces, () => description)) grant(g, null);
      diagnostics.add("target.unsupported", range, {
        en: `AWS security groups only allow: with deny or reject rules, the ${DIRECTION_TEXT[direction].en} default accept is written as "all TCP and UDP except what those rules match", so ICMP and other protocols are no longer allowed. Add them in AWS by hand if you need them.`,
        "zh-cn": `AWS 安全组只能允许：存在 deny 或 reject 规则时，${DIRECTION_TEXT[direction]["zh-cn"]}的默认 accept 被写成“除这些规则匹配的流量外的全部 TCP 和 UDP”，因此 ICMP 和其他协议不再被允许。如有需要，请在 AWS 中手动添加。`,
      });
    }
  }
  const permissions: Permission[] = [];
  for (const [key, p] of planned) {
    const earlier = earlierPermission(key, p);
    if (earlier) awsPermissions.kept++;
    else awsPermissions.planned++;
    p.permission = earlier ?? permissionOf(p);
    permissions.push(p.permission);
  }
  latestPermissions = [planned, ...latestPermissions].slice(0, 2);
  // Each CIDR of each permission is one rule of the AWS quota, counted in the order they are written.
  const counts: Record<AddressFamily, number> = { 4: 0, 6: 0 };
  for (const p of permissions) {
    for (const family of [4, 6] as const) {
      const entries = p.ranges[family];
      const before = counts[family];
      counts[family] += entries.length;
      if (before <= AWS_MAX_RULES && AWS_MAX_RULES < counts[family]) {
        const over = entries[AWS_MAX_RULES - before].rule;
        quotaExceeded(direction, family, over === null ? undefined : rules[over], range, diagnostics);
      }
    }
  }
  return permissions;
}

/** The permission planned for `key` by one of the latest allowed sets from the same grants and rules. */
function earlierPermission(key: number, p: PlannedPermission): Permission | undefined {
  search: for (const latest of latestPermissions) {
    const q = latest.get(key);
    if (!q?.permission || q.grants.length !== p.grants.length) continue;
    for (let i = 0; i < p.grants.length; i++) {
      if (q.grants[i] !== p.grants[i] || q.rules[i] !== p.rules[i]) continue search;
    }
    return q.permission;
  }
  return undefined;
}

/** A rule's grants: kept with its content while it meets the same deny boxes. */
function grantsOf(
  rule: Rule,
  boxes: readonly MatchBox[],
  met: readonly (readonly MatchBox[])[] | undefined,
): readonly Grant[] {
  const known = factOf(rule, GRANTS);
  if (known && sameMet(known.met, met)) return known.grants;
  let pieces: readonly MatchBox[] = boxes;
  if (met) {
    const rest: MatchBox[] = [];
    boxes.forEach((box, b) => {
      if (met[b].length === 0) rest.push(box);
      else for (const piece of subtractAll([box], met[b])) rest.push(piece);
    });
    pieces = rest;
  }
  // A note sanitized to nothing leaves each permission described by its own ports.
  const note = descriptionOf(rule)?.text || undefined;
  const grants = grantsOfPieces(pieces, (box) => note ?? portsDescription(rule, box));
  return keepFact(rule, GRANTS, { met, grants }).grants;
}

function sameMet(a: RuleGrants["met"], b: RuleGrants["met"]): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i].length !== b[i].length) return false;
    for (let j = 0; j < a[i].length; j++) if (a[i][j] !== b[i][j]) return false;
  }
  return true;
}

/**
 * Allowed boxes as grants: per port range and family, in the order first met,
 * their boxes in address order, described by `describe` of the first one.
 */
function grantsOfPieces(pieces: readonly MatchBox[], describe: (box: MatchBox) => string): Grant[] {
  // Most rules allow one port from one prefix: one box, nothing to group.
  if (pieces.length === 1) return [grantOf(pieces, describe)];
  if (pieces.length <= 16) {
    // A rule's few boxes: a scan of the groups so far costs less than a map.
    const groups: MatchBox[][] = [];
    for (const box of pieces) {
      const group = groups.find(([b]) => b.portLo === box.portLo && b.portHi === box.portHi && sameKind(b, box));
      if (group) group.push(box);
      else groups.push([box]);
    }
    return groups.map((boxes) => grantOf(boxes, describe));
  }
  const byPorts = new Map<number, MatchBox[]>();
  for (const box of pieces) {
    const key = portsKey(box.protocol, box.portLo, box.portHi) * 2 + (box.family === 6 ? 1 : 0);
    const list = byPorts.get(key);
    if (list) list.push(box);
    else byPorts.set(key, [box]);
  }
  return [...byPorts.values()].map((boxes) => grantOf(boxes, describe));
}

function sameKind(a: MatchBox, b: MatchBox): boolean {
  return a.protocol === b.protocol && a.family === b.family;
}

function grantOf(boxes: readonly MatchBox[], describe: (box: MatchBox) => string): Grant {
  const { protocol, family, portLo, portHi } = boxes[0];
  return {
    key: portsKey(protocol, portLo, portHi),
    protocol,
    fromPort: portLo,
    toPort: portHi,
    family,
    spans: boxes.length === 1 ? boxes : byFirstAddress(boxes),
    description: describe(boxes[0]),
  };
}

/**
 * A permission's ranges from its grants: per grant, its addresses merged and
 * cut into the fewest prefixes, skipping any inside a range already written.
 */
function permissionOf(p: PlannedPermission): Permission {
  const { protocol, fromPort, toPort } = p.grants[0];
  const ranges: Record<AddressFamily, RangeEntry[]> = { 4: [], 6: [] };
  // The same prefixes as a map, to skip one already inside another in near-constant time.
  const covered: Record<AddressFamily, PrefixMap<true>> = { 4: new PrefixMap(), 6: new PrefixMap() };
  p.grants.forEach((g, i) => {
    addGrant(ranges[g.family], covered[g.family], g, p.rules[i]);
  });
  return protocol === "-1" ? { protocol, ranges } : { protocol, fromPort, toPort, ranges };
}

function addGrant(ranges: RangeEntry[], covered: PrefixMap<true>, g: Grant, rule: number | null): void {
  const { family, description } = g;
  // The same CIDR twice in one permission is an API error; one inside an earlier one is noise.
  // Merged intervals are disjoint, so only prefixes from earlier grants can contain these
  // (and each is filed at once: none of its siblings is inside it).
  if (wholeApart(g.spans)) {
    // Each span is a policy prefix that nothing cut and no other touches: merging would give it back.
    for (const span of g.spans) {
      const prefix = span.prefix!;
      if (covered.hasContaining(prefix.bits)) continue;
      ranges.push({ family, cidr: prefix.cidr, lo: span.lo, prefix: prefix.cidr.prefix, description, rule });
      covered.add(prefix.bits, true);
    }
  } else {
    for (const [lo, hi] of mergeIntervals(g.spans)) {
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
function byFirstAddress<T extends Span>(boxes: readonly T[]): T[] {
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

/** A rule's note as a description, sanitized once per rule content; undefined without a note. */
const DESCRIPTION = contentSlot<SanitizedText>();

function descriptionOf(rule: Rule): SanitizedText | undefined {
  if (rule.note === undefined) return undefined;
  return factOf(rule, DESCRIPTION) ?? keepFact(rule, DESCRIPTION, sanitizeAwsDescription(rule.note, ""));
}

// The same port texts come back on every check, from many rules: keep their descriptions.
const PORTS_CACHE = new Map<string, string>();
const CACHE_LIMIT = 4096;

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
function wholeApart(sorted: readonly Span[]): boolean {
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i].prefix === undefined) return false;
    if (i > 0 && sorted[i].lo <= sorted[i - 1].hi + 1n) return false;
  }
  return true;
}

/** Boxes sorted by their first address, overlapping or adjacent ones joined. */
function mergeIntervals(sorted: readonly Span[]): [bigint, bigint][] {
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

function rangeText(entry: RangeEntry): string {
  return entry.cidr ? formatCidr(entry.cidr) : `${formatAddress(entry.family, entry.lo)}/${entry.prefix}`;
}

/** One permission as describe-security-groups prints it. */
function permissionJson(p: Permission, direction: Direction): JsonValue {
  const ref = (rule: number | null) => (rule === null ? null : { direction, index: rule });
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
      items.push(tagRule(item, ref(entry.rule)));
    }
    json[family === 4 ? "IpRanges" : "Ipv6Ranges"] = items;
  }
  return tagRule(json, ref((p.ranges[4][0] ?? p.ranges[6][0])?.rule ?? null));
}

function quotaExceeded(
  direction: Direction,
  family: AddressFamily,
  rule: Rule | undefined,
  range: TextRange,
  diagnostics: TargetDiagnostics,
): void {
  const dir = DIRECTION_TEXT[direction];
  diagnostics.add(
    "target.limit",
    rule?.actionRange ?? range,
    {
      en: `The AWS security group needs more than ${AWS_MAX_RULES} ${dir.en} IPv${family} rules (each CIDR of each port range counts once), over the default quota. Merge sources or ports, or raise the quota.`,
      "zh-cn": `AWS 安全组需要超过 ${AWS_MAX_RULES} 条${dir["zh-cn"]} IPv${family} 规则（每个端口范围的每个网段各算一条），超过默认配额。请合并来源或端口，或申请提高配额。`,
    },
    rule,
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
