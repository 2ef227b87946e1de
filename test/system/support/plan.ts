/**
 * Which connections to try against a policy's generated rules, what the
 * reference evaluator says about each, and how an observed socket outcome maps
 * back to a verdict.
 */
import { cidrToInterval, formatAddress } from "../../../src/core/addresses";
import { evaluate } from "../../../src/core/evaluate";
import type { Cidr, Direction, Policy, Protocol, Verdict } from "../../../src/core/model";
import type { Family } from "../../support/kernel";
import { isUsableHost, LINK, type Probe } from "./netns";
import type { Rng } from "./rng";

export interface PlannedProbe extends Probe {
  readonly direction: Direction;
  readonly family: Family;
  readonly expected: Verdict;
}

export interface ProbePlan {
  /** Addresses to put on the client's veth. */
  readonly clientAddresses: string[];
  readonly inbound: PlannedProbe[];
  readonly outbound: PlannedProbe[];
}

export interface PlanOptions {
  readonly families: readonly Family[];
  readonly rng: Rng;
  /** Probes per direction, after sampling. */
  readonly maxProbes?: number;
  readonly maxAddressesPerFamily?: number;
  readonly maxPorts?: number;
  /** What the target under test does with each verdict (clouds cannot reject: they drop). */
  readonly targetVerdict?: (verdict: Verdict) => Verdict;
}

/** Hosts outside every documentation prefix a policy is likely to name. */
const STRANGERS: Record<Family, string[]> = {
  4: [LINK.client[4], "100.100.7.7"],
  6: [LINK.client[6], "2001:db9:77::7"],
};

/** Every prefix the policy names, in rules and in `sources`. */
function policyCidrs(policy: Policy): Cidr[] {
  const out: Cidr[] = [];
  for (const group of policy.sources.values()) out.push(...group.cidrs);
  for (const rule of [...policy.inbound.rules, ...policy.outbound.rules]) {
    for (const peer of rule.peers) out.push(...peer.cidrs);
  }
  return out;
}

/** Edges of each prefix and the addresses just outside it: where a wrong mask shows. */
export function candidateAddresses(policy: Policy, family: Family): string[] {
  const seen = new Set<string>();
  const max = family === 4 ? (1n << 32n) - 1n : (1n << 128n) - 1n;
  for (const cidr of policyCidrs(policy)) {
    if (cidr.family !== family) continue;
    const { lo, hi } = cidrToInterval(cidr);
    for (const v of [lo, hi, lo + (hi - lo) / 2n, lo + 1n, lo - 1n, hi + 1n]) {
      if (v < 0n || v > max) continue;
      const text = formatAddress(family, v);
      if (isUsableHost(text)) seen.add(text);
    }
  }
  return [...seen];
}

/** Port numbers per protocol: each range's ends and neighbours, in both protocols. */
export function candidatePorts(policy: Policy): { protocol: Protocol; port: number }[] {
  const seen = new Set<string>();
  for (const rule of [...policy.inbound.rules, ...policy.outbound.rules]) {
    for (const spec of rule.ports) {
      for (const port of [spec.from, spec.to, spec.from - 1, spec.to + 1]) {
        if (port < 1 || port > 65535) continue;
        seen.add(`${spec.protocol}/${port}`);
        seen.add(`${spec.protocol === "tcp" ? "udp" : "tcp"}/${port}`);
      }
    }
  }
  seen.add("tcp/2626");
  seen.add("udp/2626");
  return [...seen].map((s) => {
    const [protocol, port] = s.split("/");
    return { protocol: protocol as Protocol, port: Number(port) };
  });
}

/** A usable host inside the prefix, preferring its middle (edges are covered by the random part). */
function insideAddress(cidr: Cidr): string | undefined {
  const { lo, hi } = cidrToInterval(cidr);
  const mid = lo + (hi - lo) / 2n;
  for (const v of [mid, mid + 1n, lo + (hi - lo) / 4n, lo + 1n, hi - 1n, lo, hi]) {
    if (v < lo || v > hi) continue;
    const text = formatAddress(cidr.family, v);
    if (isUsableHost(text)) return text;
  }
  return undefined;
}

/**
 * The probes for both directions, each with the evaluator's verdict: first,
 * for every rule, each of its ports from inside each of its prefixes (so no
 * rule goes untested); then random combinations of edge addresses and
 * neighbouring ports, up to `maxProbes` per direction.
 */
export function planProbes(policy: Policy, options: PlanOptions): ProbePlan {
  const { rng, maxProbes = 400, maxAddressesPerFamily = 14, maxPorts = 24, targetVerdict = (v) => v } = options;
  const families = new Set(options.families);
  const ports = rng.sample(candidatePorts(policy), maxPorts);
  const make = (direction: Direction, family: Family, protocol: Protocol, port: number, address: string) => {
    const expected = targetVerdict(evaluate(policy, { direction, protocol, port, address }).verdict);
    const ends =
      direction === "inbound" ? { from: address, to: LINK.server[family] } : { from: LINK.server[family], to: address };
    return { direction, family, protocol, port, ...ends, expected };
  };
  const plan = (direction: Direction): PlannedProbe[] => {
    const chosen = new Map<string, PlannedProbe>();
    const add = (p: PlannedProbe) =>
      chosen.size < maxProbes && chosen.set(`${p.protocol} ${p.port} ${p.from} ${p.to}`, p);
    const ruleSet = direction === "inbound" ? policy.inbound : policy.outbound;
    for (const rule of ruleSet.rules) {
      for (const spec of rule.ports) {
        for (const cidr of rule.peers.flatMap((peer) => peer.cidrs)) {
          const address = insideAddress(cidr);
          if (!address || !families.has(cidr.family)) continue;
          add(make(direction, cidr.family, spec.protocol, spec.from, address));
          if (spec.to !== spec.from) add(make(direction, cidr.family, spec.protocol, spec.to, address));
        }
      }
    }
    const random: PlannedProbe[] = [];
    for (const family of families) {
      const addresses = [
        ...STRANGERS[family],
        ...rng.sample(
          candidateAddresses(policy, family).filter((a) => !STRANGERS[family].includes(a)),
          maxAddressesPerFamily - STRANGERS[family].length,
        ),
      ];
      for (const address of addresses) {
        for (const { protocol, port } of ports) random.push(make(direction, family, protocol, port, address));
      }
    }
    for (const p of rng.sample(random, random.length)) add(p);
    return [...chosen.values()];
  };
  const inbound = plan("inbound");
  const outbound = plan("outbound");
  const clientAddresses = [...new Set([...inbound.map((p) => p.from), ...outbound.map((p) => p.to)])];
  return { clientAddresses, inbound, outbound };
}

/**
 * The socket outcomes each verdict may produce. Inbound is exact: accept
 * connects, DROP times out, REJECT refuses. Outbound, the kernel reports a
 * local DROP of a datagram as EPERM, and a local REJECT of one the same way,
 * so those two cannot be told apart for UDP.
 */
export function acceptableOutcomes(direction: Direction, protocol: Protocol, verdict: Verdict): string[] {
  const allowed = protocol === "tcp" ? "connected" : "reply";
  if (direction === "inbound") {
    return { allow: [allowed], deny: ["timeout"], reject: ["ECONNREFUSED"] }[verdict];
  }
  if (protocol === "tcp") return { allow: [allowed], deny: ["timeout", "EPERM"], reject: ["ECONNREFUSED"] }[verdict];
  return { allow: [allowed], deny: ["timeout", "EPERM"], reject: ["EPERM", "ECONNREFUSED"] }[verdict];
}

export interface Mismatch {
  readonly probe: PlannedProbe;
  readonly outcome: string;
}

export function findMismatches(probes: readonly PlannedProbe[], outcomes: readonly string[]): Mismatch[] {
  const out: Mismatch[] = [];
  probes.forEach((probe, i) => {
    if (!acceptableOutcomes(probe.direction, probe.protocol, probe.expected).includes(outcomes[i])) {
      out.push({ probe, outcome: outcomes[i] });
    }
  });
  return out;
}

export function describeMismatch({ probe, outcome }: Mismatch): string {
  const peer = probe.direction === "inbound" ? `from ${probe.from}` : `to ${probe.to}`;
  return `${probe.direction} ${probe.protocol}/${probe.port} ${peer}: evaluate() says ${probe.expected}, kernel gave ${outcome}`;
}
