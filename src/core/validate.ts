/**
 * Semantic checks on a parsed policy: ports on the wrong transport, plaintext
 * and admin ports open to the world, lock-outs, rules that can never match,
 * expired rules. Each diagnostic sits on the smallest node that causes it and
 * names the rule, so `acknowledge` can apply.
 */
import { CATALOG, lookupNotable, lookupPort, lookupService } from "./catalog";
import { DEFAULT_SEVERITY, type DiagnosticCode, type PolicyDiagnostic } from "./diagnostics";
import { localize } from "./i18n";
import { boxesOverlap, type MatchBox, ruleBoxes, sameBox, subtractBox } from "./match";
import type { AddressSpec, Lang, Localized, Policy, PortSpec, Protocol, Rule, TextRange } from "./model";
import { earlierOverlaps } from "./overlap";
import { portSpecCovers } from "./ports";
import { contentKey, contentSlot, factOf, keepFact } from "./rule-content";

export interface ValidateOptions {
  readonly lang?: Lang;
  /** `YYYY-MM-DD`; rules whose `expires` is before it are expired. Default: today (UTC). */
  readonly today?: string;
}

/** Plaintext mail access services (RFC 8314 covers access and submission, not port 25). */
const PLAINTEXT_ACCESS = ["pop3", "imap"];
/**
 * Past this many pieces, or box subtractions per direction, a coverage question
 * is given up (no warning) rather than stall the editor on a huge policy.
 */
const MAX_PIECES = 4096;
const MAX_SUBTRACTIONS = 200_000;

/** Runs every semantic check; returns diagnostics in policy order. */
export function validatePolicy(policy: Policy, options: ValidateOptions = {}): PolicyDiagnostic[] {
  const lang = options.lang ?? "en";
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  const out: PolicyDiagnostic[] = [];
  const report = (code: DiagnosticCode, range: TextRange, message: Localized, rule?: Rule, suggestion?: string) =>
    out.push({
      code,
      severity: DEFAULT_SEVERITY[code],
      message: localize(lang, message),
      range,
      ...(rule ? { rule: { direction: rule.direction, index: rule.index } } : {}),
      ...(suggestion !== undefined ? { suggestion } : {}),
    });
  const inbound = policy.inbound;

  for (const rules of [inbound.rules, policy.outbound.rules]) {
    for (let k = 0; k < rules.length; k++) {
      const rule = rules[k];
      const ports = uniqueByRange(rule.ports);
      for (let i = 0; i < ports.length; i++) checkTransport(rule, ports[i], report);
      if (rule.expires !== undefined && rule.expires < today) {
        report(
          "rule.expired",
          rule.expiresRange ?? rule.actionRange,
          {
            en: `This rule expired on ${rule.expires}: remove it, or set a later date if it is still needed.`,
            "zh-cn": `此规则已于 ${rule.expires} 过期：请删除它；如仍需要，请设置更晚的日期。`,
          },
          rule,
        );
      }
    }
  }

  const inboundAllows = inbound.rules.filter((r) => r.action === "allow");
  for (const rule of inboundAllows) {
    for (const spec of rule.ports) {
      for (const key of PLAINTEXT_ACCESS) checkPlaintextAccess(rule, spec, key, report);
    }
    checkAdminExposed(rule, report);
  }

  const opens = (port: number) => inboundAllows.some((r) => r.ports.some((s) => portSpecCovers(s, port, "tcp")));
  if (opens(80) && !opens(443)) {
    for (const rule of inboundAllows) {
      for (const spec of rule.ports.filter((s) => portSpecCovers(s, 80, "tcp"))) {
        report(
          "security.plaintext-http",
          spec.range,
          {
            en: "Port 80 is open but 443 is not: webmail and logins would travel in cleartext. Open https (443) and keep 80 for ACME challenges and redirects.",
            "zh-cn":
              "开放了 80 端口却没有开放 443：网页邮件和登录将以明文传输。请开放 https（443），80 端口仅用于 ACME 验证和跳转。",
          },
          rule,
        );
      }
    }
  }

  const inboundAt = inbound.defaultRange ?? inbound.range ?? { start: 0, end: 0 };
  if (inbound.default === "accept") {
    report("security.default-accept", inboundAt, {
      en: "Inbound `default: accept` lets in every port no rule names: use `default: drop` and allow what you need.",
      "zh-cn": "入站 `default: accept` 会放行所有未被规则提及的端口：请改用 `default: drop`，并只放行需要的端口。",
    });
  } else if (
    !inboundAllows.some((r) => r.ports.some((s) => portSpecCovers(s, 22, "tcp")) && r.peers.some((p) => p.cidrs.length))
  ) {
    report("security.lockout", inboundAt, {
      en: `Inbound ${inbound.default}s by default and no rule allows ssh (22/tcp): applying this may lock you out. Add \`- allow: ssh\` with \`from:\` your admin network, or turn this check off if you use a console.`,
      "zh-cn": `入站默认${inbound.default === "drop" ? "丢弃" : "拒绝"}，且没有规则放行 ssh（22/tcp）：应用后可能把自己锁在外面。请添加 \`- allow: ssh\` 并以 \`from:\` 指定管理网络；如果通过控制台管理，可关闭此检查。`,
    });
  }

  const clouds = [policy.targets.aliyun ? "Alibaba Cloud" : "", policy.targets.aws ? "AWS" : ""].filter(Boolean);
  if (clouds.length) {
    for (const rule of policy.outbound.rules.filter((r) => r.action === "allow")) {
      for (const spec of rule.ports.filter((s) => portSpecCovers(s, 25, "tcp"))) {
        const fix =
          spec.service === "smtp"
            ? "submissions"
            : spec.from === spec.to
              ? spec.text.replace(/^\d+/, "465")
              : undefined;
        const names = { en: clouds.join(" and "), "zh-cn": clouds.join(" 和 ").replace("Alibaba Cloud", "阿里云") };
        report(
          "security.outbound-smtp-blocked",
          spec.range,
          {
            en: `${names.en} ${clouds.length > 1 ? "block" : "blocks"} outbound port 25 by default, so this rule will not get mail out: send through a relay on submissions (465), or ask the provider to unblock 25.`,
            "zh-cn": `${names["zh-cn"]} 默认封禁出站 25 端口，此规则无法把邮件发出：请通过 submissions（465）中继发送，或向云服务商申请解封 25 端口。`,
          },
          rule,
          fix,
        );
      }
    }
  }

  checkOverlaps(policy.inbound.rules, report);
  checkOverlaps(policy.outbound.rules, report);
  return out;
}

type Report = (code: DiagnosticCode, range: TextRange, message: Localized, rule?: Rule, suggestion?: string) => void;

/** `514/tcp` where the catalog knows 514 only on udp (and the reverse, e.g. `993/udp`). */
function checkTransport(rule: Rule, spec: PortSpec, report: Report): void {
  if (spec.from !== spec.to) return;
  const other: Protocol = spec.protocol === "tcp" ? "udp" : "tcp";
  const explicit = spec.text.includes("/");
  if (spec.service !== undefined) {
    const entry = lookupService(spec.service);
    if (!entry || entry.protocols.includes(spec.protocol)) return;
    const name = spec.text.split("/")[0];
    report(
      "port.protocol-mismatch",
      spec.range,
      {
        en: `${name} runs on ${entry.protocols.map((p) => `${entry.port}/${p}`).join(" and ")}, not ${spec.protocol}: write \`${name}\`.`,
        "zh-cn": `${name} 使用 ${entry.protocols.map((p) => `${entry.port}/${p}`).join(" 和 ")}，而不是 ${spec.protocol}：请写 \`${name}\`。`,
      },
      rule,
      name,
    );
    return;
  }
  if (lookupPort(spec.from, spec.protocol).length > 0) return;
  const entries = lookupPort(spec.from, other);
  if (entries.length === 0) return;
  const service = entries.map((e) => e.key).join("/");
  const notable = lookupNotable(spec.from, spec.protocol)[0];
  const actually = notable?.ianaName ? ` (${spec.from}/${spec.protocol} is IANA \`${notable.ianaName}\`)` : "";
  const actuallyZh = notable?.ianaName ? `（${spec.from}/${spec.protocol} 在 IANA 中是 \`${notable.ianaName}\`）` : "";
  const written = explicit ? spec.text : `${spec.text} (${spec.protocol} by default)`;
  const writtenZh = explicit ? spec.text : `${spec.text}（默认 ${spec.protocol}）`;
  report(
    "port.protocol-mismatch",
    spec.range,
    {
      en: `${written} is not ${service}: ${service} uses ${spec.from}/${other}${actually}. Write \`${spec.from}/${other}\`, or \`${entries[0].key}\`.`,
      "zh-cn": `${writtenZh} 不是 ${service}：${service} 使用 ${spec.from}/${other}${actuallyZh}。请写 \`${spec.from}/${other}\` 或 \`${entries[0].key}\`。`,
    },
    rule,
    `${spec.from}/${other}`,
  );
}

/** An inbound allow of pop3 (110) or imap (143): RFC 8314 prefers implicit TLS. */
function checkPlaintextAccess(rule: Rule, spec: PortSpec, key: string, report: Report): void {
  const entry = lookupService(key);
  const twin = entry?.tlsTwin ? lookupService(entry.tlsTwin) : undefined;
  if (!entry || !twin || !portSpecCovers(spec, entry.port, "tcp")) return;
  let fix: string | undefined;
  if (spec.service !== undefined) fix = spec.service === entry.key ? twin.key : undefined;
  else if (spec.from === spec.to) fix = spec.text.replace(/^\d+/, String(twin.port));
  const label = `${entry.key.toUpperCase()} (${entry.port})`;
  report(
    "security.plaintext-access",
    spec.range,
    {
      en: `${label} lets clients log in without TLS. RFC 8314 asks to deprecate cleartext access in favour of implicit TLS: open ${twin.key} (${twin.port}) instead, or acknowledge this on the rule while old clients remain.`,
      "zh-cn": `${label} 允许客户端不经 TLS 登录。RFC 8314 要求淘汰明文访问、优先使用隐式 TLS：请改为开放 ${twin.key}（${twin.port}）；若仍有旧客户端，请在此规则上 acknowledge。`,
    },
    rule,
    fix,
  );
}

const ADMIN_ENTRIES = CATALOG.filter((e) => e.adminOnly);

/** The admin services a rule's ports open, as the message names them (none: count 0). */
interface AdminPorts {
  readonly names: string;
  readonly count: number;
}

const ADMIN_PORTS = contentSlot<AdminPorts>();

/** Made once per rule content. */
function adminPorts(rule: Rule): AdminPorts {
  return factOf(rule, ADMIN_PORTS) ?? keepFact(rule, ADMIN_PORTS, adminPortsOf(rule));
}

function adminPortsOf(rule: Rule): AdminPorts {
  const admin = ADMIN_ENTRIES.filter((e) =>
    rule.ports.some((s) => e.protocols.some((p) => portSpecCovers(s, e.port, p))),
  );
  const names = admin
    .slice(0, 4)
    .map((e) => `${e.key} (${e.port}/${e.protocols[0]})`)
    .join(", ");
  return { names: `${names}${admin.length > 4 ? ", ..." : ""}`, count: admin.length };
}

/** Admin and monitoring ports allowed from everywhere: warn on the peer that opens them. */
function checkAdminExposed(rule: Rule, report: Report): void {
  // Most rules name their peers: then which ports they open does not matter here.
  if (!rule.peers.some(isEveryone)) return;
  const admin = adminPorts(rule);
  if (admin.count === 0) return;
  const names = admin.names;
  for (const peer of rule.peers) {
    if (!isEveryone(peer)) continue;
    report(
      "security.admin-exposed",
      peer.range,
      {
        en: `${names} ${admin.count > 1 ? "are" : "is"} for administrators but is open to \`${peer.text}\`: restrict it to an admin or monitoring source (a name under \`sources:\`).`,
        "zh-cn": `${names} 仅供管理使用，却对 \`${peer.text}\` 开放：请限制为管理或监控来源（\`sources:\` 下的名称）。`,
      },
      rule,
    );
  }
}

function isEveryone(peer: AddressSpec): boolean {
  return peer.kind === "any" || peer.kind === "any4" || peer.kind === "any6" || peer.cidrs.some((c) => c.prefix === 0);
}

interface RuleMatch {
  readonly rule: Rule;
  readonly boxes: readonly MatchBox[];
  /** See {@link matchKey}; made once some rule overlaps this one. */
  key: string | undefined;
}

function allBoxes(matches: readonly RuleMatch[]): MatchBox[] {
  const out: MatchBox[] = [];
  for (const m of matches) for (const box of m.boxes) out.push(box);
  return out;
}

function keyOf(match: RuleMatch): string {
  match.key ??= matchKey(match.boxes);
  return match.key;
}

/**
 * `keyOf(a) === keyOf(b)`, without making the keys for the usual rules of one
 * box: the key has a part per box, and one part is equal exactly when its fields are.
 */
function sameMatch(a: RuleMatch, b: RuleMatch): boolean {
  if (a.boxes.length !== b.boxes.length) return false;
  if (a.boxes.length !== 1) return keyOf(a) === keyOf(b);
  const x = a.boxes[0];
  const y = b.boxes[0];
  if (x.protocol !== y.protocol || x.family !== y.family || x.portLo !== y.portLo || x.portHi !== y.portHi)
    return false;
  if (x.prefix && y.prefix) {
    return x.prefix.cidr.address === y.prefix.cidr.address && x.prefix.cidr.prefix === y.prefix.cidr.prefix;
  }
  if (!x.prefix && !y.prefix) return x.lo === y.lo && x.hi === y.hi;
  return keyOf(a) === keyOf(b);
}

/**
 * What a rule's overlaps came to: the position (among the earlier rules it
 * overlaps) of the first with the same match, or -1; else whether together
 * they cover it. It follows from the contents of the rule and of those
 * earlier rules, so it is kept per rule content with their content keys, and
 * with the subtractions it took: a later check takes it while those rules are
 * the same and that much of its budget is left (with less, it would have
 * given up as a check from nothing does).
 */
interface OverlapVerdict {
  readonly earlier: readonly object[];
  readonly twin: number;
  readonly shadowed: boolean;
  readonly cost: number;
}

const OVERLAP_VERDICT = contentSlot<OverlapVerdict>();

/** rule.duplicate and rule.shadowed within one direction (first match wins). */
function checkOverlaps(rules: readonly Rule[], report: Report): void {
  const overlaps = earlierOverlaps(rules);
  // Made only for rules in an overlapping pair; null for a rule whose match is unknown.
  const matches = new Map<number, RuleMatch | null>();
  const matchOf = (k: number): RuleMatch | null => {
    let match = matches.get(k);
    if (match === undefined) {
      const rule = rules[k];
      // A rule with an unreadable port or peer is already an error; its match is unknown.
      const unknown =
        rule.ports.length === 0 || rule.peers.length === 0 || rule.peers.some((p) => p.cidrs.length === 0);
      match = unknown ? null : { rule, boxes: ruleBoxes(rule), key: undefined };
      matches.set(k, match);
    }
    return match;
  };
  const budget = { left: MAX_SUBTRACTIONS };
  for (let k = 0; k < rules.length; k++) {
    if (overlaps[k].length === 0) continue;
    const match = matchOf(k);
    if (!match) continue;
    const overlapping: RuleMatch[] = [];
    for (const i of overlaps[k]) {
      const earlier = matchOf(i);
      if (earlier) overlapping.push(earlier);
    }
    const rule = match.rule;
    const verdict = keptVerdict(rule, overlapping, budget) ?? overlapVerdict(match, overlapping, budget);
    if (verdict.twin >= 0) {
      const twin = overlapping[verdict.twin];
      const same = twin.rule.action === rule.action;
      report(
        "rule.duplicate",
        rule.actionRange,
        {
          en: `Same ports and peers as the earlier rule \`${describe(twin.rule)}\` (${rule.direction} rule ${twin.rule.index + 1})${same ? ": remove this one." : ", which decides first: this rule never applies; remove one of them."}`,
          "zh-cn": `与前面的规则 \`${describe(twin.rule)}\`（${rule.direction === "inbound" ? "入站" : "出站"}第 ${twin.rule.index + 1} 条）端口和地址完全相同${same ? "：请删除此条。" : "，且前者先生效：此规则永远不会生效，请删除其中一条。"}`,
        },
        rule,
      );
    } else if (verdict.shadowed) {
      const by = overlapping.map((e) => `\`${describe(e.rule)}\` (${e.rule.index + 1})`).slice(0, 3);
      report(
        "rule.shadowed",
        rule.actionRange,
        {
          en: `This rule never matches: ${by.length > 1 ? "earlier rules" : "the earlier rule"} ${by.join(", ")} already ${by.length > 1 ? "match" : "matches"} everything it does. Remove it, or move it above.`,
          "zh-cn": `此规则永远不会匹配：前面的规则 ${by.join("、")} 已覆盖它匹配的全部流量。请删除它，或把它移到这些规则之前。`,
        },
        rule,
      );
    }
  }
}

/** The verdict kept for `rule`, when it was reached against the same earlier rules and the budget allows it. */
function keptVerdict(
  rule: Rule,
  overlapping: readonly RuleMatch[],
  budget: { left: number },
): OverlapVerdict | undefined {
  const kept = factOf(rule, OVERLAP_VERDICT);
  if (!kept || kept.earlier.length !== overlapping.length || kept.cost > budget.left) return undefined;
  for (let n = 0; n < overlapping.length; n++)
    if (kept.earlier[n] !== contentKey(overlapping[n].rule)) return undefined;
  budget.left -= kept.cost;
  return kept;
}

function overlapVerdict(match: RuleMatch, overlapping: readonly RuleMatch[], budget: { left: number }): OverlapVerdict {
  const before = budget.left;
  const boxes = match.boxes;
  const twin = overlapping.findIndex(
    (e) => sameMatch(e, match) || (covered(boxes, e.boxes, budget) && covered(e.boxes, boxes, budget)),
  );
  const shadowed = twin < 0 && overlapping.length > 0 && covered(boxes, allBoxes(overlapping), budget);
  const verdict = { earlier: overlapping.map((e) => contentKey(e.rule)), twin, shadowed, cost: before - budget.left };
  // Given up (the budget ran out): a later check with more left must work it out again.
  return budget.left < 0 ? verdict : keepFact(match.rule, OVERLAP_VERDICT, verdict);
}

/**
 * Equal for two rules exactly when their boxes are the same. A prefix's text
 * stands for its addresses: it is canonical, so equal text means equal
 * addresses, without printing BigInts.
 */
function matchKey(boxes: readonly MatchBox[]): string {
  const parts = boxes.map(
    (b) =>
      `${b.protocol}${b.family}:${b.prefix ? `${b.prefix.cidr.address}/${b.prefix.cidr.prefix}` : `${b.lo}-${b.hi}`}:${b.portLo}-${b.portHi}`,
  );
  return parts.length === 1 ? parts[0] : parts.sort().join(" ");
}

/** `boxes` minus `cover` is empty; false when the answer would take too many pieces. */
function covered(boxes: readonly MatchBox[], cover: readonly MatchBox[], budget: { left: number }): boolean {
  let rest = [...boxes];
  for (const c of cover) {
    const next: MatchBox[] = [];
    budget.left -= rest.length;
    if (budget.left < 0) return false;
    for (const r of rest) {
      if (sameBox(r, c)) continue;
      if (!boxesOverlap(r, c)) next.push(r);
      else for (const piece of subtractBox(r, c)) next.push(piece);
    }
    if (next.length > MAX_PIECES) return false;
    rest = next;
    if (rest.length === 0) return true;
  }
  return rest.length === 0;
}

function describe(rule: Rule): string {
  const ports = [...new Set(rule.ports.map((p) => p.text))];
  return `${rule.action}: ${ports.length === 1 ? ports[0] : `[${ports.join(", ")}]`}`;
}

/** A name with two transports (`dns`) gives two specs at one range: check the text once. */
function uniqueByRange(specs: readonly PortSpec[]): readonly PortSpec[] {
  // Most rules name one port: nothing to remove, nothing to allocate.
  if (specs.length < 2) return specs;
  const seen = new Set<number>();
  return specs.filter((s) => {
    if (seen.has(s.range.start)) return false;
    seen.add(s.range.start);
    return true;
  });
}
