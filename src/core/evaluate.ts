/** STUB (to be written): the reference evaluator, the oracle every generator is tested against. */
import type { Packet, Policy, RuleRef, Verdict } from "./model";

export interface Evaluation {
  readonly verdict: Verdict;
  /** The first matching rule, or null when the default applied. */
  readonly rule: RuleRef | null;
}

export function evaluate(_policy: Policy, _packet: Packet): Evaluation {
  throw new Error("not implemented");
}
