import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { parseCidr, prefixOf } from "../../src/core/addresses";
import { isCovered, type MatchBox, ruleBoxes, subtractAll, subtractBox } from "../../src/core/match";
import { peer, port } from "../support/arbitraries";

const box = (lo: number, hi: number, portLo: number, portHi: number): MatchBox => ({
  protocol: "tcp",
  family: 4,
  lo: BigInt(lo),
  hi: BigInt(hi),
  portLo,
  portHi,
});

const contains = (boxes: MatchBox[], a: number, p: number) =>
  boxes.some((b) => b.lo <= BigInt(a) && BigInt(a) <= b.hi && b.portLo <= p && p <= b.portHi);

test("subtracting a box from itself leaves nothing", () => {
  assert.deepEqual(subtractBox(box(0, 10, 1, 100), box(0, 10, 1, 100)), []);
});

test("a box with a hole in the middle becomes four pieces", () => {
  assert.equal(subtractBox(box(0, 10, 1, 100), box(4, 6, 40, 60)).length, 4);
});

test("other protocols are untouched", () => {
  const udp: MatchBox = { ...box(0, 10, 1, 100), protocol: "udp" };
  assert.deepEqual(subtractBox(box(0, 10, 1, 100), udp), [box(0, 10, 1, 100)]);
});

test("isCovered needs the union, not one box", () => {
  assert.equal(isCovered([box(0, 10, 1, 10)], [box(0, 5, 1, 10), box(6, 10, 1, 10)]), true);
  assert.equal(isCovered([box(0, 10, 1, 10)], [box(0, 5, 1, 10), box(7, 10, 1, 10)]), false);
});

test("subtraction is exact pointwise (property)", () => {
  const arbBox = fc
    .tuple(fc.nat(15), fc.nat(15), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }))
    .map(([a, b, p, q]) => box(Math.min(a, b), Math.max(a, b), Math.min(p, q), Math.max(p, q)));
  fc.assert(
    fc.property(fc.array(arbBox, { maxLength: 4 }), fc.array(arbBox, { maxLength: 4 }), (set, cut) => {
      const rest = subtractAll(set, cut);
      for (let a = 0; a <= 15; a++) {
        for (let p = 1; p <= 12; p++) {
          assert.equal(contains(rest, a, p), contains(set, a, p) && !contains(cut, a, p));
        }
      }
    }),
  );
});

test("a piece keeps the box's prefix only while it has all of its addresses", () => {
  const cidr = parseCidr("10.0.0.0/28")!.cidr;
  const prefix = prefixOf(cidr);
  const whole: MatchBox = { ...box(Number(prefix.lo), Number(prefix.hi), 1, 100), prefix };
  // A hole in the ports keeps the addresses whole; one in the addresses does not.
  for (const piece of subtractBox(whole, box(Number(prefix.lo), Number(prefix.hi), 50, 60))) {
    assert.equal(piece.prefix, prefix);
  }
  for (const piece of subtractBox(whole, box(Number(prefix.lo), Number(prefix.lo), 1, 100))) {
    assert.equal(piece.prefix, undefined);
  }
});

test("ruleBoxes makes a rule's boxes once, each carrying its prefix", () => {
  const rule = { ports: [port("25"), port("993")], peers: [peer("10.0.0.0/8"), peer("2001:db8::/32")] };
  const boxes = ruleBoxes(rule);
  assert.equal(ruleBoxes(rule), boxes);
  assert.equal(boxes.length, 4);
  for (const b of boxes) {
    assert.ok(b.prefix);
    assert.equal(b.lo, b.prefix.lo);
    assert.equal(b.hi, b.prefix.hi);
  }
  // Kept hidden on the rule: a copy with other ports makes its own, and the rule still compares as before.
  const copy = { ...rule, ports: [port("25")] };
  assert.equal(ruleBoxes(copy).length, 2);
  assert.deepStrictEqual(rule, {
    ports: [port("25"), port("993")],
    peers: [peer("10.0.0.0/8"), peer("2001:db8::/32")],
  });
});
