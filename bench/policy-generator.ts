/**
 * Builds realistic benchmark policies: many allow rules from varied sources (single
 * hosts, /24s, /16s, named groups, some IPv6) to mail and admin ports, with a few
 * denies and rejects in between, and a handful of outbound rules.
 *
 * The same abstract policy is rendered as a mailpolicy file here and as ferm and
 * Capirca inputs in `render-baselines.ts`, so every tool is given the same rules.
 * A seeded generator keeps the inputs identical from run to run. Only the first
 * rules (smtp, submissions, imaps) are open to `any`; the rest name their sources.
 */

export type BenchFamily = 4 | 6;
export type BenchAction = "allow" | "deny" | "reject";
export type BenchProtocol = "tcp" | "udp";

/** One port or range as the mailpolicy file writes it, with what it means. */
export interface BenchPort {
  /** As written in the mailpolicy file: `smtp`, `8443/tcp`, `6000-6010/udp`. */
  readonly text: string;
  readonly protocol: BenchProtocol;
  readonly from: number;
  readonly to: number;
}

/** A peer: a literal prefix or a named group (`any` is an empty peer list). */
export type BenchPeer =
  | { readonly kind: "cidr"; readonly cidr: string }
  | { readonly kind: "group"; readonly name: string };

export interface BenchRule {
  readonly direction: "inbound" | "outbound";
  readonly action: BenchAction;
  /** All of one protocol, so ferm and Capirca can express the rule as one term. */
  readonly ports: readonly BenchPort[];
  /** Empty means `any`. */
  readonly peers: readonly BenchPeer[];
  /** The family of every peer; null for `any` (both families). */
  readonly family: BenchFamily | null;
  readonly note?: string;
}

export interface BenchGroup {
  readonly name: string;
  readonly family: BenchFamily;
  readonly cidrs: readonly string[];
}

export interface BenchPolicy {
  readonly ruleCount: number;
  readonly groups: readonly BenchGroup[];
  readonly rules: readonly BenchRule[];
}

/** Catalog services used by name (all TCP), with their numbers. */
export const BENCH_SERVICES: Readonly<Record<string, number>> = {
  smtp: 25,
  submissions: 465,
  submission: 587,
  imaps: 993,
  pop3s: 995,
  imap: 143,
  pop3: 110,
  https: 443,
  http: 80,
  sieve: 4190,
  lmtp: 24,
  "xmpp-client": 5222,
  "xmpp-server": 5269,
  ssh: 22,
  "node-exporter": 9100,
  prometheus: 9090,
};
/** Open to anyone at the top of every policy, as on a public MX; never reused below (it would shadow). */
const PUBLIC_SERVICES = ["smtp", "submissions", "imaps"];
const SERVICE_NAMES = Object.keys(BENCH_SERVICES).filter((name) => !PUBLIC_SERVICES.includes(name));
const NOTES = ["partner relay", "customer uplink", "monitoring probe", "backup MX", "branch office", "webmail proxy"];

/** mulberry32: small, fast and good enough to vary benchmark inputs reproducibly. */
function makeRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Picker {
  private readonly random: () => number;
  constructor(seed: number) {
    this.random = makeRandom(seed);
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.random() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.random() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }

  ipv4Cidr(): string {
    const prefix = this.pick([32, 32, 32, 32, 28, 24, 24, 24, 16, 16]);
    const first = this.pick([10, 10, 172, 192, this.int(11, 99), this.int(100, 223), 198, 203]);
    const octets = [first, this.int(0, 255), this.int(0, 255), this.int(0, 255)];
    const value = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
    // Clear host bits: a bench input should not be full of source.host-bits warnings.
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    const net = (value & mask) >>> 0;
    const text = [net >>> 24, (net >>> 16) & 255, (net >>> 8) & 255, net & 255].join(".");
    return prefix === 32 ? text : `${text}/${prefix}`;
  }

  ipv6Cidr(): string {
    const hex = () => this.int(0, 0xffff).toString(16);
    const prefix = this.pick([128, 64, 64, 48]);
    if (prefix === 128) return `2001:db8:${hex()}:${hex()}::${hex()}`;
    if (prefix === 64) return `2001:db8:${hex()}:${hex()}::/64`;
    return `2001:db8:${hex()}::/48`;
  }

  cidr(family: BenchFamily): string {
    return family === 4 ? this.ipv4Cidr() : this.ipv6Cidr();
  }

  ports(): BenchPort[] {
    const roll = this.random();
    const named = (name: string): BenchPort => ({
      text: name,
      protocol: "tcp",
      from: BENCH_SERVICES[name],
      to: BENCH_SERVICES[name],
    });
    if (roll < 0.6) return [named(this.pick(SERVICE_NAMES))];
    if (roll < 0.75) {
      const names = new Set<string>();
      const want = this.int(2, 3);
      while (names.size < want) names.add(this.pick(SERVICE_NAMES));
      return [...names].map(named);
    }
    if (roll < 0.9) {
      const port = this.int(1025, 65535);
      return [{ text: `${port}/tcp`, protocol: "tcp", from: port, to: port }];
    }
    const protocol: BenchProtocol = roll < 0.95 ? "tcp" : "udp";
    const from = this.int(1025, 60000);
    const to = from + this.int(1, 100);
    return [{ text: `${from}-${to}/${protocol}`, protocol, from, to }];
  }
}

/** A policy of `ruleCount` rules; the same count and seed give the same policy. */
export function generateBenchPolicy(ruleCount: number, seed = 20261204): BenchPolicy {
  const pick = new Picker(seed ^ ruleCount);
  const groupCount = Math.max(10, Math.min(300, Math.round(ruleCount / 30)));
  const groups: BenchGroup[] = [];
  for (let g = 0; g < groupCount; g++) {
    const family: BenchFamily = pick.chance(0.1) ? 6 : 4;
    const cidrs = Array.from({ length: pick.int(1, 4) }, () => pick.cidr(family));
    groups.push({ name: `g${String(g).padStart(4, "0")}`, family, cidrs });
  }
  const rules: BenchRule[] = PUBLIC_SERVICES.map((name) => ({
    direction: "inbound",
    action: "allow",
    ports: [{ text: name, protocol: "tcp", from: BENCH_SERVICES[name], to: BENCH_SERVICES[name] }],
    peers: [],
    family: null,
  }));
  while (rules.length < ruleCount) {
    const direction = pick.chance(0.01) ? "outbound" : "inbound";
    const actionRoll = pick.chance(0.03) ? pick.int(0, 2) : 0;
    const action: BenchAction = actionRoll === 1 ? "reject" : actionRoll === 2 ? "deny" : "allow";
    const ports = pick.ports();
    const peerRoll = pick.int(1, 20);
    let family: BenchFamily = pick.chance(0.1) ? 6 : 4;
    let peers: BenchPeer[];
    if (peerRoll <= 5) {
      const group = pick.pick(groups);
      peers = [{ kind: "group", name: group.name }];
      family = group.family;
    } else if (peerRoll <= 16) {
      peers = [{ kind: "cidr", cidr: pick.cidr(family) }];
    } else {
      const f = family;
      peers = Array.from({ length: pick.int(2, 4) }, () => ({ kind: "cidr" as const, cidr: pick.cidr(f) }));
    }
    const note = pick.chance(0.2) ? `${pick.pick(NOTES)} ${pick.int(1, 9999)}` : undefined;
    rules.push({ direction, action, ports, peers, family, note });
  }
  return { ruleCount, groups, rules };
}

function peerText(peer: BenchPeer): string {
  return peer.kind === "cidr" ? peer.cidr : peer.name;
}

function flowList(items: readonly string[]): string {
  return items.length === 1 ? items[0] : `[${items.join(", ")}]`;
}

/** The policy as a `*.mailpolicy.yaml` file configuring all four targets. */
export function renderMailpolicy(policy: BenchPolicy): string {
  const out: string[] = [
    "mailpolicy: 1",
    `name: bench-${policy.ruleCount}.example.net`,
    "",
    "sources:",
    ...policy.groups.map((g) => `  ${g.name}: ${flowList(g.cidrs)}`),
  ];
  for (const direction of ["inbound", "outbound"] as const) {
    const peerKey = direction === "inbound" ? "from" : "to";
    out.push("", `${direction}:`, `  default: ${direction === "inbound" ? "drop" : "accept"}`, "  rules:");
    for (const rule of policy.rules) {
      if (rule.direction !== direction) continue;
      out.push(`    - ${rule.action}: ${flowList(rule.ports.map((p) => p.text))}`);
      out.push(`      ${peerKey}: ${rule.peers.length === 0 ? "any" : flowList(rule.peers.map(peerText))}`);
      if (rule.note) out.push(`      note: ${rule.note}`);
    }
  }
  out.push(
    "",
    "targets:",
    "  iptables:",
    "    ipv6: true",
    "  aliyun:",
    "    regionId: cn-hangzhou",
    "    securityGroupId: sg-bp1benchmark",
    "    priority: 1",
    "  aws:",
    "    groupId: sg-0123456789abcdef0",
    "",
  );
  return out.join("\n");
}
