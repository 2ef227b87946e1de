import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { parseCidr, prefixOf } from "../../src/core/addresses";
import { boxesOverlap, type MatchBox, ruleBoxes } from "../../src/core/match";
import type { Rule } from "../../src/core/model";
import { earlierOverlaps, OverlapIndex, PrefixMap, PrefixTrie } from "../../src/core/overlap";
import { policyArbitrary } from "../support/arbitraries";

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

/** The index answers for `probe` exactly the indexed boxes that share a packet with it. */
function assertFindsOverlaps(indexed: readonly MatchBox[], probe: MatchBox): void {
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
}

test("the index finds exactly the boxes that share a packet (against brute force)", () => {
  fc.assert(
    fc.property(fc.array(arbBox, { maxLength: 40 }), arbBox, (indexed, probe) => {
      assertFindsOverlaps(indexed, probe);
    }),
    { numRuns: 500 },
  );
});

// Boxes made from real prefixes (as rules make them), small enough to nest and repeat often.
const arbPrefixBox: fc.Arbitrary<MatchBox> = fc
  .record({
    protocol: fc.constantFrom("tcp" as const, "udp" as const),
    v4: fc.boolean(),
    a: fc.nat(15),
    prefix: fc.nat(4),
    p: fc.integer({ min: 1, max: 6 }),
    width: fc.oneof(fc.constant(0), fc.nat(3)),
  })
  .map(({ protocol, v4, a, prefix, p, width }) => {
    const cidr = v4
      ? parseCidr(`10.0.0.${a << 4}/${24 + prefix}`)!.cidr
      : parseCidr(`2001:db8::${(a << 4).toString(16)}/${120 + prefix}`)!.cidr;
    const { lo, hi } = prefixOf(cidr);
    return { protocol, family: cidr.family, lo, hi, portLo: p, portHi: p + width, prefix: prefixOf(cidr) };
  });

test("the index finds the same boxes for boxes that carry their prefix", () => {
  fc.assert(
    fc.property(fc.array(fc.oneof(arbPrefixBox, arbBox), { maxLength: 40 }), arbPrefixBox, (indexed, probe) => {
      assertFindsOverlaps(indexed, probe);
    }),
    { numRuns: 500 },
  );
});

const arbBits = fc.array(fc.constantFrom("0", "1"), { maxLength: 40 }).map((b) => b.join(""));

test("PrefixTrie and PrefixMap find exactly the prefixes that contain (or lie inside) one (against brute force)", () => {
  fc.assert(
    fc.property(fc.array(arbBits, { maxLength: 30 }), arbBits, (keys, probe) => {
      const trie = new PrefixTrie<number>();
      const map = new PrefixMap<number>();
      keys.forEach((k, i) => {
        trie.add(k, i);
        map.add(k, i);
      });
      const sorted = (xs: Iterable<number>) => [...new Set(xs)].sort((x, y) => x - y);
      const containing = keys.flatMap((k, i) => (probe.startsWith(k) ? [i] : []));
      const meeting = keys.flatMap((k, i) => (probe.startsWith(k) || k.startsWith(probe) ? [i] : []));
      const fromTrie: number[] = [];
      trie.meeting(probe, (i) => fromTrie.push(i));
      assert.deepEqual(sorted(fromTrie), sorted(meeting));
      const fromMap: number[] = [];
      map.containing(probe, (i) => fromMap.push(i));
      assert.deepEqual(sorted(fromMap), sorted(containing));
      assert.equal(trie.hasContaining(probe), containing.length > 0);
      assert.equal(map.hasContaining(probe), containing.length > 0);
    }),
    { numRuns: 1000 },
  );
});

/** For each rule, the earlier rules sharing a packet with it, by comparing every pair. */
function pairwiseOverlaps(rules: readonly Rule[]): number[][] {
  return rules.map((rule, k) =>
    rules
      .slice(0, k)
      .flatMap((other, i) =>
        ruleBoxes(rule).some((a) => ruleBoxes(other).some((b) => boxesOverlap(a, b))) ? [i] : [],
      ),
  );
}

test("earlierOverlaps lists exactly the earlier rules that share a packet (against pairwise checks)", () => {
  fc.assert(
    fc.property(policyArbitrary(20), (policy) => {
      for (const rules of [policy.inbound.rules, policy.outbound.rules]) {
        const expected = pairwiseOverlaps(rules);
        assert.deepEqual(earlierOverlaps(rules), expected);
        assert.equal(earlierOverlaps(rules), earlierOverlaps(rules));
      }
    }),
    { numRuns: 300 },
  );
});

test("a list with a few rules changed (an edit) is brought up to date from the one before, exactly", () => {
  let reused = 0;
  fc.assert(
    fc.property(
      policyArbitrary(20),
      policyArbitrary(8),
      fc.array(fc.nat(), { maxLength: 6 }),
      (policy, other, picks) => {
        const before = policy.inbound.rules;
        const lists = earlierOverlaps(before);
        const replacements = other.inbound.rules;
        const after = before.slice();
        const changed = new Set<number>();
        if (before.length > 0 && replacements.length > 0) {
          picks.forEach((pick, n) => {
            const at = pick % before.length;
            after[at] = replacements[n % replacements.length];
            changed.add(at);
          });
        }
        const updated = earlierOverlaps(after);
        assert.deepEqual(updated, pairwiseOverlaps(after));
        // Lists the change could not touch are the ones from before, not made again.
        if (changed.size > 0 && changed.size <= 4) {
          before.forEach((_, j) => {
            const touched = [...changed].some((c) => c <= j);
            if (!touched && lists[j].length > 0) {
              assert.equal(updated[j], lists[j]);
              reused++;
            }
          });
        }
      },
    ),
    { numRuns: 400 },
  );
  // The runs must exercise reuse: 61 to 115 lists were reused over 12 runs, so a bar of 20
  // fails only when reuse stops, not on an unlucky draw.
  assert.ok(reused > 20, `only ${reused} lists reused`);
});
