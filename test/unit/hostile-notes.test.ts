/**
 * User text cannot change generated rules: whatever a rule's `note` or the
 * policy's `name` holds, every target produces the same rules as with plain
 * text; only comments and descriptions differ, and those stay within each
 * target's limits. Also: generation is deterministic. (The same property
 * through the real kernel is test/system/notes-kernel.test.ts.)
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { stringify } from "yaml";
import { checkPolicy } from "../../src/core/check";
import { generateTarget } from "../../src/core/generate/index";
import { type Policy, TARGET_NAMES, type TargetName } from "../../src/core/model";
import { commentValues, ruleLinesWithoutComments } from "../support/kernel";
import { HOSTILE_NOTES, hasControlCharacter, hostileNoteArbitrary } from "../system/support/hostile";
import { randomPolicyObject } from "../system/support/random-policy";
import { Rng, runSeed } from "../system/support/rng";

const SEED = runSeed();
const RUNS = Number(process.env.MAILPOLICY_NOTE_RUNS ?? 2000);
const BASES = 6;
console.log(`hostile-notes.test: seed ${SEED} (replay with MAILPOLICY_SEED=${SEED})`);

const AWS_DESCRIPTION = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]{1,255}$/;

/** Base policy `k`, through YAML, with every note (and the name, when given) replaced. */
function policyFromYaml(k: number, note: string, name?: string): Policy {
  const object = randomPolicyObject(new Rng(SEED + k), { note: () => note });
  if (name !== undefined) object.name = name;
  const result = checkPolicy(stringify(object), { today: "2026-01-01" });
  assert.ok(!result.hasErrors, `base policy ${k} with note ${JSON.stringify(note)} has errors`);
  assert.equal(result.policy.inbound.rules[0].note, note, "the YAML carries the note verbatim");
  return result.policy;
}

/** Base policy `k` with the note and name swapped in on the model (thousands of cases: no YAML round). */
function policyWith(k: number, note: string, name: string): Policy {
  const base = plainPolicy(k);
  const withNote = (rules: Policy["inbound"]["rules"]) => rules.map((rule) => ({ ...rule, note }));
  return {
    ...base,
    name,
    inbound: { ...base.inbound, rules: withNote(base.inbound.rules) },
    outbound: { ...base.outbound, rules: withNote(base.outbound.rules) },
  };
}

/** A JSON target without its free-text fields. */
function withoutDescriptions(text: string): unknown {
  return JSON.parse(text, (key, value) => (key === "Description" ? undefined : value));
}

function descriptions(text: string): string[] {
  const out: string[] = [];
  JSON.parse(text, (key, value) => {
    if (key === "Description") out.push(value);
    return value;
  });
  return out;
}

/** Problems a hostile output has compared with the plain one, for one target. */
function differences(target: TargetName, hostile: string, plain: string): string[] {
  const problems: string[] = [];
  if (target === "iptables" || target === "ip6tables") {
    if (hostile.split("\n").length !== plain.split("\n").length) problems.push("line count changed");
    if (JSON.stringify(ruleLinesWithoutComments(hostile)) !== JSON.stringify(ruleLinesWithoutComments(plain))) {
      problems.push("rule lines changed");
    }
    for (const c of commentValues(hostile)) {
      if (hasControlCharacter(c)) problems.push(`control character in comment ${JSON.stringify(c)}`);
      if (new TextEncoder().encode(c).length > 255) problems.push("comment over 255 bytes");
    }
  } else {
    if (JSON.stringify(withoutDescriptions(hostile)) !== JSON.stringify(withoutDescriptions(plain))) {
      problems.push("permissions changed");
    }
    for (const d of descriptions(hostile)) {
      if (hasControlCharacter(d)) problems.push(`control character in description ${JSON.stringify(d)}`);
      if (target === "aws" && !AWS_DESCRIPTION.test(d)) problems.push(`AWS refuses description ${JSON.stringify(d)}`);
      if (target === "aliyun" && !(d.length >= 1 && d.length <= 512)) problems.push("Alibaba description length");
    }
  }
  return problems;
}

const plainPolicies = new Map<number, Policy>();
function plainPolicy(k: number): Policy {
  if (!plainPolicies.has(k)) plainPolicies.set(k, policyFromYaml(k, "plain note", "plain-name"));
  return plainPolicies.get(k)!;
}

const plainOutputs = new Map<number, Record<TargetName, string>>();
function plainOutput(k: number): Record<TargetName, string> {
  let out = plainOutputs.get(k);
  if (!out) {
    const policy = plainPolicy(k);
    out = Object.fromEntries(TARGET_NAMES.map((t) => [t, generateTarget(policy, t).text])) as Record<
      TargetName,
      string
    >;
    plainOutputs.set(k, out);
  }
  return out;
}

test("the hand-picked hostile notes and names change no rule in any target", () => {
  for (const note of HOSTILE_NOTES) {
    const k = HOSTILE_NOTES.indexOf(note) % BASES;
    const policy = policyFromYaml(k, note, note);
    for (const target of TARGET_NAMES) {
      assert.deepEqual(differences(target, generateTarget(policy, target).text, plainOutput(k)[target]), [], note);
    }
  }
});

test(`random hostile notes and names change no rule in any target (${RUNS} runs, seed ${SEED})`, () => {
  fc.assert(
    fc.property(fc.nat(BASES - 1), hostileNoteArbitrary(), fc.boolean(), (k, note, alsoName) => {
      const policy = policyWith(k, note, alsoName ? note : "plain-name");
      for (const target of TARGET_NAMES) {
        const problems = differences(target, generateTarget(policy, target).text, plainOutput(k)[target]);
        if (problems.length > 0) throw new Error(`${target}: ${problems.join("; ")}`);
      }
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test("the comparison notices a note that injects a rule", () => {
  const plain = plainOutput(0).iptables;
  const injected = plain.replace(/(-m comment --comment "plain note"[^\n]*\n)/, "$1-A INPUT -j ACCEPT\n");
  assert.notEqual(injected, plain);
  assert.ok(differences("iptables", injected, plain).includes("rule lines changed"));
  const optionInjected = plain.replace('--comment "plain note"', '--comment "x" -j ACCEPT --comment "y"');
  assert.ok(differences("iptables", optionInjected, plain).length > 0);
});

test(`generation is deterministic, whatever the language (seed ${SEED})`, () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
      const text = stringify(randomPolicyObject(new Rng(seed)));
      const a = checkPolicy(text, { today: "2026-01-01" }).policy;
      const b = checkPolicy(text, { today: "2026-01-01", lang: "zh-cn" }).policy;
      for (const target of TARGET_NAMES) {
        const first = generateTarget(a, target, "en").text;
        assert.equal(generateTarget(a, target, "en").text, first, `${target} twice`);
        assert.equal(generateTarget(b, target, "zh-cn").text, first, `${target} in zh-cn`);
      }
    }),
    { seed: SEED, numRuns: 100 },
  );
});
