/**
 * The reference evaluator: what the policy means for one connection attempt.
 * Every generator is tested against it (test/unit/parity.test.ts), so it is
 * written for obviousness, not speed.
 */
import { cidrToInterval, parseAddress } from "./addresses";
import type { DefaultAction, Packet, Policy, Rule, RuleRef, Verdict } from "./model";

export interface Evaluation {
  readonly verdict: Verdict;
  /** The first matching rule, or null when the default applied. */
  readonly rule: RuleRef | null;
}

const DEFAULT_VERDICT: Record<DefaultAction, Verdict> = { accept: "allow", drop: "deny", reject: "reject" };

/**
 * Rules of the packet's direction, top to bottom; the first whose protocol,
 * port range and one of whose peer prefixes match decides. Otherwise the
 * direction's default.
 */
export function evaluate(policy: Policy, packet: Packet): Evaluation {
  const ruleSet = packet.direction === "inbound" ? policy.inbound : policy.outbound;
  for (const rule of ruleSet.rules) {
    if (ruleMatches(rule, packet)) {
      return { verdict: rule.action, rule: { direction: rule.direction, index: rule.index } };
    }
  }
  return { verdict: DEFAULT_VERDICT[ruleSet.default], rule: null };
}

/** True when `rule` matches `packet` (the rule's direction is not checked). */
export function ruleMatches(rule: Rule, packet: Packet): boolean {
  const portMatches = rule.ports.some(
    (p) => p.protocol === packet.protocol && p.from <= packet.port && packet.port <= p.to,
  );
  if (!portMatches) return false;
  const address = parseAddress(packet.address);
  if (!address) return false;
  return rule.peers.some((peer) =>
    peer.cidrs.some((cidr) => {
      if (cidr.family !== address.family) return false;
      const iv = cidrToInterval(cidr);
      return iv.lo <= address.value && address.value <= iv.hi;
    }),
  );
}
