import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { boxesOverlap, type MatchBox } from "../../src/core/match";
import { OverlapIndex } from "../../src/core/overlap";

// Small address and port spaces so random boxes meet often, ports both single and wide.
const arbBox: fc.Arbitrary<MatchBox> = fc
  .record({
    protocol: fc.constantFrom("tcp" as const, "udp" as const),
    a: fc.nat(255),
    b: fc.nat(255),
    p: fc.integer({ min: 1, max: 200 }),
    width: fc.oneof(fc.constant(0), fc.nat(150)),
  })
  .map(({ protocol, a, b, p, width }) => ({
    protocol,
    family: 4 as const,
    lo: BigInt(Math.min(a, b)),
    hi: BigInt(Math.max(a, b)),
    portLo: p,
    portHi: p + width,
  }));

test("the index finds exactly the boxes that share a packet (against brute force)", () => {
  fc.assert(
    fc.property(fc.array(arbBox, { maxLength: 40 }), arbBox, (indexed, probe) => {
      const index = new OverlapIndex<number>();
      indexed.forEach((box, i) => {
        index.add(box, i);
      });
      const found = new Set<number>();
      index.query(probe, (i) => found.add(i));
      const expected = new Set(indexed.flatMap((box, i) => (boxesOverlap(box, probe) ? [i] : [])));
      assert.deepEqual(
        [...found].sort((x, y) => x - y),
        [...expected].sort((x, y) => x - y),
      );
    }),
    { numRuns: 500 },
  );
});
