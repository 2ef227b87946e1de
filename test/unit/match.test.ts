import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { isCovered, type MatchBox, subtractAll, subtractBox } from "../../src/core/match";

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
