/**
 * Random but valid policy files, seeded. Addresses come from documentation and
 * private ranges (they only ever live inside the test namespaces), and ports
 * from a small pool so rules overlap, shadow and cut into each other often.
 */
import { stringify } from "yaml";
import { formatAddress, parseAddress } from "../../../src/core/addresses";
import type { Rng } from "./rng";

const V4_BASES = ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];
const V6_BASES = ["2001:db8::/32", "fd00::/8"];
const SERVICES = ["smtp", "submissions", "submission", "imaps", "pop3s", "imap", "pop3", "ssh", "https", "dns", "ntp"];
const PORT_POOL = [24, 25, 26, 53, 110, 143, 465, 587, 993, 995, 4190, 8025];
const SOURCE_NAMES = ["office", "monitoring", "partners", "backup"];

/** A random prefix inside one of the bases, host bits cleared. */
export function randomCidr(rng: Rng, family: 4 | 6): string {
  const [base, baseLen] = rng.pick(family === 4 ? V4_BASES : V6_BASES).split("/");
  const bits = family === 4 ? 32 : 128;
  const prefix = rng.int(Number(baseLen), family === 4 ? 32 : rng.pick([48, 64, 96, 120, 128]));
  let value = parseAddress(base)!.value;
  // Random bits below the base prefix, then clear the host part.
  for (let b = bits - Number(baseLen) - 1; b >= 0; b--) {
    if (rng.next() < 0.5) value |= 1n << BigInt(b);
  }
  value &= ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - prefix)) - 1n);
  return `${formatAddress(family, value)}/${prefix}`;
}

function randomPort(rng: Rng): string | number {
  switch (rng.int(0, 4)) {
    case 0:
      return rng.pick(SERVICES);
    case 1:
      return rng.pick(PORT_POOL);
    case 2:
      return `${rng.pick(PORT_POOL)}/${rng.pick(["tcp", "udp"])}`;
    case 3: {
      const from = rng.pick(PORT_POOL);
      return `${from}-${from + rng.int(0, 40)}/${rng.pick(["tcp", "udp"])}`;
    }
    default:
      return rng.pick(SERVICES);
  }
}

function randomPeer(rng: Rng, sourceNames: string[]): string | string[] {
  const one = (): string => {
    const r = rng.next();
    if (r < 0.15) return rng.pick(["any", "any4", "any6"]);
    if (r < 0.5 && sourceNames.length > 0) return rng.pick(sourceNames);
    return randomCidr(rng, rng.next() < 0.6 ? 4 : 6);
  };
  return rng.next() < 0.25 ? [one(), one()] : one();
}

export interface RandomPolicyOptions {
  readonly maxRules?: number;
  /** Note text for every rule (default: a plain label). */
  readonly note?: (index: number) => string | undefined;
}

/** The policy as a plain object, ready for `yaml.stringify`. */
export function randomPolicyObject(rng: Rng, options: RandomPolicyOptions = {}): Record<string, unknown> {
  const maxRules = options.maxRules ?? 8;
  const sources: Record<string, string | string[]> = {};
  for (const name of rng.sample(SOURCE_NAMES, rng.int(0, 3))) {
    sources[name] =
      rng.next() < 0.5 ? randomCidr(rng, 4) : [randomCidr(rng, 4), randomCidr(rng, rng.next() < 0.5 ? 4 : 6)];
  }
  const sourceNames = Object.keys(sources);
  const rules = (direction: "inbound" | "outbound") =>
    Array.from({ length: rng.int(1, maxRules) }, (_, i) => {
      const ports = rng.next() < 0.3 ? [randomPort(rng), randomPort(rng)] : randomPort(rng);
      const rule: Record<string, unknown> = { [rng.pick(["allow", "allow", "deny", "reject"])]: ports };
      rule[direction === "inbound" ? "from" : "to"] = randomPeer(rng, sourceNames);
      const note = options.note ? options.note(i) : rng.next() < 0.3 ? `rule ${i}` : undefined;
      if (note !== undefined) rule.note = note;
      return rule;
    });
  const policy: Record<string, unknown> = { mailpolicy: 1, name: `random-${rng.seed}` };
  if (sourceNames.length > 0) policy.sources = sources;
  policy.inbound = { default: rng.pick(["drop", "drop", "reject", "accept"]), rules: rules("inbound") };
  policy.outbound = { default: rng.pick(["accept", "accept", "drop", "reject"]), rules: rules("outbound") };
  policy.targets = {
    iptables: { ipv6: true },
    aliyun: { regionId: "cn-hangzhou", securityGroupId: "sg-bp1random", priority: rng.int(1, 10) },
    aws: { groupId: "sg-0123456789abcdef0" },
  };
  return policy;
}

/** A random policy file. */
export function randomPolicyText(rng: Rng, options: RandomPolicyOptions = {}): string {
  return stringify(randomPolicyObject(rng, options));
}
