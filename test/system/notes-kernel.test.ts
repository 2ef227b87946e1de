/**
 * No note text changes what the kernel loads: a policy generated with hostile
 * notes and the same policy with plain notes are both restored into private
 * namespaces, and iptables-save must print the same rule lines apart from the
 * comment values, which must arrive intact-but-harmless (no control
 * characters, at most 255 bytes).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  commentValues,
  kernelTestOptions,
  requireKernel,
  restoreAndSave,
  ruleLines,
  ruleLinesWithoutComments,
} from "../support/kernel";
import { hasControlCharacter, hostileNoteArbitrary } from "./support/hostile";
import { compilePolicy, iptablesFamilies, iptablesText } from "./support/policies";
import { randomPolicyText } from "./support/random-policy";
import { Rng, runSeed } from "./support/rng";

const SEED = runSeed();
const CASES = Number(process.env.MAILPOLICY_KERNEL_NOTE_CASES ?? 50);
console.log(`notes-kernel.test: seed ${SEED} (replay with MAILPOLICY_SEED=${SEED})`);

/** Restores a text in a fresh namespace; returns what iptables-save prints. */
function kernelView(text: string, family: 4 | 6, label: string): string {
  const result = restoreAndSave(text, family);
  assert.equal(result.status, 0, `${label}: the kernel refused the file: ${result.stderr}\n${text}`);
  return result.saved;
}

describe("hostile notes in the kernel", kernelTestOptions(), () => {
  test(`${CASES} random policies with hostile notes load the same rules as with plain notes (seed ${SEED})`, () => {
    requireKernel();
    const notes = fc.sample(hostileNoteArbitrary(), { seed: SEED, numRuns: CASES });
    for (let i = 0; i < CASES; i++) {
      const hostile = notes[i];
      // Same seed for both texts: the policies differ in their notes only.
      const plainText = randomPolicyText(new Rng(SEED + i), { note: () => "plain" });
      const hostileText = randomPolicyText(new Rng(SEED + i), { note: () => hostile });
      const label = `case ${i} (seed ${SEED}), note ${JSON.stringify(hostile).slice(0, 200)}`;
      const plain = compilePolicy(plainText, label);
      const evil = compilePolicy(hostileText, label);
      assert.equal(evil.inbound.rules[0].note, hostile, `${label}: the YAML did not carry the note verbatim`);
      for (const family of iptablesFamilies(plain)) {
        const ours = iptablesText(evil, family);
        const savedEvil = kernelView(ours, family, label);
        const savedPlain = kernelView(iptablesText(plain, family), family, label);
        assert.deepEqual(ruleLines(savedEvil), ruleLines(ours), `${label}: not in canonical form (IPv${family})`);
        assert.deepEqual(
          ruleLinesWithoutComments(savedEvil),
          ruleLinesWithoutComments(savedPlain),
          `${label}: the note changed the rules the kernel loaded (IPv${family})`,
        );
        for (const comment of commentValues(savedEvil)) {
          assert.ok(!hasControlCharacter(comment), `${label}: control character in comment ${JSON.stringify(comment)}`);
          assert.ok(new TextEncoder().encode(comment).length <= 255, `${label}: comment over 255 bytes`);
        }
      }
    }
  });

  test("the comparison notices an injected rule", () => {
    requireKernel();
    // What a newline let through a note does (see the reference notes): one more whole rule.
    const text = iptablesText(compilePolicy(randomPolicyText(new Rng(SEED), { note: () => "plain" }), "base"), 4);
    const injected = text.replace(/(-m comment --comment plain[^\n]*\n)/, "$1-A INPUT -j ACCEPT\n");
    assert.notEqual(injected, text, "the base policy has a commented rule");
    assert.notDeepEqual(
      ruleLinesWithoutComments(kernelView(injected, 4, "injected")),
      ruleLinesWithoutComments(kernelView(text, 4, "plain")),
    );
  });
});
