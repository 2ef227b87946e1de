/**
 * What a rule matches, as a set of boxes: (protocol, family) x address interval
 * x port interval. Exact for TCP and UDP, which is all a policy can name, so
 * shadowing, duplicates and AWS's allowed set are computed by plain subtraction.
 */
import { cidrToInterval } from "./addresses";
import type { AddressFamily, Protocol, Rule } from "./model";

export interface MatchBox {
  readonly protocol: Protocol;
  readonly family: AddressFamily;
  readonly lo: bigint;
  readonly hi: bigint;
  readonly portLo: number;
  readonly portHi: number;
}

/** The boxes a rule matches: every port spec crossed with every resolved peer prefix. */
export function ruleBoxes(rule: Pick<Rule, "ports" | "peers">): MatchBox[] {
  const boxes: MatchBox[] = [];
  for (const port of rule.ports) {
    for (const peer of rule.peers) {
      for (const cidr of peer.cidrs) {
        const iv = cidrToInterval(cidr);
        boxes.push({
          protocol: port.protocol,
          family: cidr.family,
          lo: iv.lo,
          hi: iv.hi,
          portLo: port.from,
          portHi: port.to,
        });
      }
    }
  }
  return boxes;
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
  if (a.lo < b.lo) out.push({ ...a, hi: b.lo - 1n });
  if (b.hi < a.hi) out.push({ ...a, lo: b.hi + 1n });
  const lo = a.lo > b.lo ? a.lo : b.lo;
  const hi = a.hi < b.hi ? a.hi : b.hi;
  if (a.portLo < b.portLo) out.push({ ...a, lo, hi, portHi: b.portLo - 1 });
  if (b.portHi < a.portHi) out.push({ ...a, lo, hi, portLo: b.portHi + 1 });
  return out;
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
