/**
 * What a rule matches, as a set of boxes: (protocol, family) x address interval
 * x port interval. Exact for TCP and UDP, which is all a policy can name, so
 * shadowing, duplicates and AWS's allowed set are computed by plain subtraction.
 */
import { type Prefix, prefixOf } from "./addresses";
import type { AddressFamily, Protocol, Rule } from "./model";
import { contentSlot, factOf, keepFact } from "./rule-content";

export interface MatchBox {
  readonly protocol: Protocol;
  readonly family: AddressFamily;
  readonly lo: bigint;
  readonly hi: bigint;
  readonly portLo: number;
  readonly portHi: number;
  /**
   * The policy prefix whose addresses are exactly `[lo, hi]`, when the box
   * came straight from one: its bits and text are then already known.
   */
  readonly prefix?: Prefix;
}

const BOXES = contentSlot<readonly MatchBox[]>();

/**
 * The boxes a rule matches: every port spec crossed with every resolved peer
 * prefix. Validation and every generator ask for them: they are made once per
 * rule content (see rule-content.ts), so callers must not change the array.
 */
export function ruleBoxes(rule: Pick<Rule, "ports" | "peers">): readonly MatchBox[] {
  return factOf(rule, BOXES) ?? keepFact(rule, BOXES, boxesOf(rule));
}

function boxesOf(rule: Pick<Rule, "ports" | "peers">): MatchBox[] {
  let cidrs = 0;
  for (const peer of rule.peers) cidrs += peer.cidrs.length;
  // Made at its own size: a policy keeps every rule's boxes (see fitted.ts).
  const made: MatchBox[] = new Array(rule.ports.length * cidrs);
  let at = 0;
  for (const port of rule.ports) {
    for (const peer of rule.peers) {
      for (const cidr of peer.cidrs) {
        const prefix = prefixOf(cidr);
        made[at++] = {
          protocol: port.protocol,
          family: cidr.family,
          lo: prefix.lo,
          hi: prefix.hi,
          portLo: port.from,
          portHi: port.to,
          prefix,
        };
      }
    }
  }
  return made;
}

export function boxesOverlap(a: MatchBox, b: MatchBox): boolean {
  return (
    a.protocol === b.protocol &&
    a.family === b.family &&
    a.lo <= b.hi &&
    b.lo <= a.hi &&
    a.portLo <= b.portHi &&
    b.portLo <= a.portHi
  );
}

/** `a` minus `b`: at most four disjoint boxes. */
export function subtractBox(a: MatchBox, b: MatchBox): MatchBox[] {
  if (!boxesOverlap(a, b)) return [a];
  const out: MatchBox[] = [];
  if (a.lo < b.lo) out.push(piece(a, a.lo, b.lo - 1n, a.portLo, a.portHi));
  if (b.hi < a.hi) out.push(piece(a, b.hi + 1n, a.hi, a.portLo, a.portHi));
  const lo = a.lo > b.lo ? a.lo : b.lo;
  const hi = a.hi < b.hi ? a.hi : b.hi;
  if (a.portLo < b.portLo) out.push(piece(a, lo, hi, a.portLo, b.portLo - 1));
  if (b.portHi < a.portHi) out.push(piece(a, lo, hi, b.portHi + 1, a.portHi));
  return out;
}

/** Part of `a`; it keeps `a`'s prefix only while its addresses are still all of them. */
function piece(a: MatchBox, lo: bigint, hi: bigint, portLo: number, portHi: number): MatchBox {
  const box = { protocol: a.protocol, family: a.family, lo, hi, portLo, portHi };
  return a.prefix !== undefined && lo === a.lo && hi === a.hi ? { ...box, prefix: a.prefix } : box;
}

/** Every box of `set` minus every box of `cut`; the pieces are disjoint if `set` was. */
export function subtractAll(set: readonly MatchBox[], cut: readonly MatchBox[]): MatchBox[] {
  let rest = [...set];
  for (const c of cut) {
    if (rest.length === 0) break;
    const next: MatchBox[] = [];
    for (const r of rest) {
      for (const piece of subtractBox(r, c)) next.push(piece);
    }
    rest = next;
  }
  return rest;
}

/** True when `cover` matches everything `boxes` matches. */
export function isCovered(boxes: readonly MatchBox[], cover: readonly MatchBox[]): boolean {
  return subtractAll(boxes, cover).length === 0;
}

/** Same protocol, family, addresses and ports. */
export function sameBox(a: MatchBox, b: MatchBox): boolean {
  return (
    a.protocol === b.protocol &&
    a.family === b.family &&
    a.lo === b.lo &&
    a.hi === b.hi &&
    a.portLo === b.portLo &&
    a.portHi === b.portHi
  );
}
