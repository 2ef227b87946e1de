/**
 * Policies for generator tests, built straight from the model types (no YAML):
 * a small builder for hand-written cases and fast-check arbitraries for random
 * ones. Prefixes and ports come from small pools that nest and touch, so random
 * rules overlap, shadow and abut each other often.
 */
import fc from "fast-check";
import { ANY4, ANY6, cidrToInterval, FAMILY_BITS, formatAddress, parseCidr } from "../../src/core/addresses";
import type {
  Action,
  AddressFamily,
  AddressSpec,
  Cidr,
  DefaultAction,
  Direction,
  Packet,
  Policy,
  PortSpec,
  Protocol,
  Rule,
  RuleSet,
  TargetOptions,
} from "../../src/core/model";

/** A rule as a test writes it: ports like `25`, `53/udp`, `6000-6010/udp`; peers like `any`, `10.0.0.0/8`, `a,b`. */
export interface RuleInput {
  readonly action: Action;
  readonly ports: readonly string[];
  readonly peers: readonly string[];
  readonly note?: string;
}

export interface RuleSetInput {
  readonly default: DefaultAction;
  readonly rules: readonly RuleInput[];
}

export interface PolicyInput {
  readonly name?: string;
  readonly inbound?: RuleSetInput;
  readonly outbound?: RuleSetInput;
  readonly targets?: TargetOptions;
}

/** The text range a built rule claims, so tests can check where diagnostics point. */
export function builtRuleRange(direction: Direction, index: number) {
  const start = (direction === "inbound" ? 1000 : 50000) + index * 100;
  return { range: { start, end: start + 90 }, actionRange: { start, end: start + 10 } };
}

/** Defaults' ranges in built policies. */
export const BUILT_DEFAULT_RANGE: Record<Direction, { start: number; end: number }> = {
  inbound: { start: 900, end: 913 },
  outbound: { start: 49900, end: 49913 },
};

export function cidr(text: string): Cidr {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(`bad CIDR in test: ${text}`);
  return parsed.cidr;
}

export function port(text: string): PortSpec {
  const m = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp))?$/.exec(text);
  if (!m) throw new Error(`bad port in test: ${text}`);
  const from = Number(m[1]);
  return {
    text,
    protocol: (m[3] ?? "tcp") as Protocol,
    from,
    to: m[2] ? Number(m[2]) : from,
    range: { start: 0, end: 0 },
  };
}

export function peer(text: string): AddressSpec {
  const range = { start: 0, end: 0 };
  if (text === "any") return { text, kind: "any", cidrs: [ANY4, ANY6], range };
  if (text === "any4") return { text, kind: "any4", cidrs: [ANY4], range };
  if (text === "any6") return { text, kind: "any6", cidrs: [ANY6], range };
  const parts = text.split(",");
  if (parts.length > 1) return { text, kind: "source", sourceName: text, cidrs: parts.map(cidr), range };
  return { text, kind: "literal", cidrs: [cidr(text)], range };
}

function ruleSet(direction: Direction, input: RuleSetInput | undefined, fallback: DefaultAction): RuleSet {
  const rules: Rule[] = (input?.rules ?? []).map((r, index) => ({
    direction,
    index,
    action: r.action,
    ports: r.ports.map(port),
    peers: r.peers.map(peer),
    ...(r.note !== undefined ? { note: r.note } : {}),
    acknowledge: [],
    ...builtRuleRange(direction, index),
  }));
  return { default: input?.default ?? fallback, defaultRange: BUILT_DEFAULT_RANGE[direction], rules };
}

/** A policy from a compact description; inbound defaults to drop, outbound to accept. */
export function makePolicy(input: PolicyInput): Policy {
  return {
    version: 1,
    ...(input.name !== undefined ? { name: input.name } : {}),
    sources: new Map(),
    inbound: ruleSet("inbound", input.inbound, "drop"),
    outbound: ruleSet("outbound", input.outbound, "accept"),
    targets: input.targets ?? {},
  };
}

const V4_POOL = [
  "0.0.0.0/0",
  "10.0.0.0/8",
  "10.1.0.0/16",
  "10.1.2.0/24",
  "10.1.2.128/25",
  "10.1.2.3/32",
  "192.0.2.0/24",
  "192.0.2.7/32",
  "203.0.113.0/24",
  "128.0.0.0/1",
  "255.255.255.255/32",
];
const V6_POOL = [
  "::/0",
  "2001:db8::/32",
  "2001:db8:1::/48",
  "2001:db8:1:8000::/49",
  "2001:db8:1::5/128",
  "::ffff:10.1.2.3/128",
  "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128",
];
const PORT_POOL = ["22", "25", "110", "143", "465", "587", "993", "995", "1", "65535", "20-30", "100-200", "1-65535"];
const HOSTILE_NOTES = [
  'pwn\n-A INPUT -j ACCEPT\n-A INPUT -m comment --comment "z',
  'evil" -j DROP',
  "back\\slash 'single' \"double\"",
  "-j ACCEPT",
  "--comment",
  "",
  "   ",
  "\u2028line\u2029para\u0085nel\r\n\t\u0000",
  "邮件服务器 备注",
  "\ud800 lone surrogate",
  "x".repeat(300),
  "é".repeat(200),
  '{"Policy":"accept"}',
  "</Description><Policy>accept",
];

const randomCidr = (family: AddressFamily): fc.Arbitrary<string> =>
  fc
    .tuple(fc.bigInt({ min: 0n, max: (1n << BigInt(FAMILY_BITS[family])) - 1n }), fc.nat(FAMILY_BITS[family]))
    .map(([value, prefix]) => `${formatAddress(family, value)}/${prefix}`);

const peerText: fc.Arbitrary<string> = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom("any", "any4", "any6") },
  { weight: 6, arbitrary: fc.constantFrom(...V4_POOL, ...V6_POOL) },
  { weight: 1, arbitrary: fc.oneof(randomCidr(4), randomCidr(6)) },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.constantFrom(...V4_POOL, ...V6_POOL), { minLength: 2, maxLength: 3 })
      .map((a) => a.join(",")),
  },
);

const portNumber = fc.integer({ min: 1, max: 65535 });
const portText: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...PORT_POOL) },
      { weight: 1, arbitrary: portNumber.map(String) },
      { weight: 1, arbitrary: fc.tuple(portNumber, portNumber).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`) },
    ),
    fc.constantFrom("", "", "/udp", "/tcp"),
  )
  .map(([p, proto]) => p + proto);

export const noteArbitrary: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...HOSTILE_NOTES),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 300 }),
);

export const ruleInputArbitrary: fc.Arbitrary<RuleInput> = fc.record(
  {
    action: fc.constantFrom<Action>("allow", "allow", "deny", "reject"),
    ports: fc.oneof(
      { weight: 5, arbitrary: fc.array(portText, { minLength: 1, maxLength: 4 }) },
      { weight: 1, arbitrary: fc.array(portText, { minLength: 10, maxLength: 20 }) },
    ),
    peers: fc.array(peerText, { minLength: 1, maxLength: 3 }),
    note: noteArbitrary,
  },
  { requiredKeys: ["action", "ports", "peers"] },
);

const ruleSetArbitrary = (maxRules: number): fc.Arbitrary<RuleSetInput> =>
  fc.record({
    default: fc.constantFrom<DefaultAction>("accept", "drop", "reject"),
    rules: fc.array(ruleInputArbitrary, { maxLength: maxRules }),
  });

/** Random policies with every target configured. */
export const policyArbitrary = (maxRules = 6): fc.Arbitrary<Policy> =>
  fc
    .record({
      name: fc.option(noteArbitrary, { nil: undefined }),
      inbound: ruleSetArbitrary(maxRules),
      outbound: ruleSetArbitrary(maxRules),
      baseline: fc.boolean(),
      forward: fc.constantFrom<"drop" | "accept">("drop", "accept"),
      priority: fc.integer({ min: 1, max: 3 }),
    })
    .map((r) =>
      makePolicy({
        name: r.name,
        inbound: r.inbound,
        outbound: r.outbound,
        targets: {
          iptables: { ipv6: true, baseline: r.baseline, forward: r.forward },
          aliyun: { regionId: "cn-hangzhou", securityGroupId: "sg-test", priority: r.priority },
          aws: { groupId: "sg-0123456789abcdef0" },
        },
      }),
    );

/**
 * Packets at the places where translations go wrong: each prefix's first and
 * last address and their outside neighbours, each port range's edges and
 * their neighbours, on both protocols and in both directions.
 */
export function edgePackets(policy: Policy, limit = 3000): Packet[] {
  const addresses = new Map<string, string>();
  const addAddress = (family: AddressFamily, value: bigint) => {
    const max = (1n << BigInt(FAMILY_BITS[family])) - 1n;
    if (value < 0n || value > max) return;
    const text = formatAddress(family, value);
    addresses.set(text, text);
  };
  const ports = new Set<number>([1, 25, 65535]);
  for (const family of [4, 6] as const)
    addAddress(family, family === 4 ? 0x0a010203n : 0x20010db8000100000000000000000005n);
  for (const rules of [policy.inbound.rules, policy.outbound.rules]) {
    for (const rule of rules) {
      for (const p of rule.ports) {
        for (const n of [p.from - 1, p.from, p.to, p.to + 1]) if (n >= 1 && n <= 65535) ports.add(n);
      }
      for (const spec of rule.peers) {
        for (const c of spec.cidrs) {
          const iv = cidrToInterval(c);
          for (const v of [iv.lo - 1n, iv.lo, (iv.lo + iv.hi) / 2n, iv.hi, iv.hi + 1n]) addAddress(c.family, v);
        }
      }
    }
  }
  const packets: Packet[] = [];
  for (const direction of ["inbound", "outbound"] as const) {
    for (const protocol of ["tcp", "udp"] as const) {
      for (const address of addresses.values()) {
        for (const p of ports) packets.push({ direction, protocol, port: p, address });
      }
    }
  }
  if (packets.length <= limit) return packets;
  // Keep a spread-out, deterministic subset.
  const step = packets.length / limit;
  return Array.from({ length: limit }, (_, i) => packets[Math.floor(i * step)]);
}
