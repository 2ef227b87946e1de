/**
 * The parser and the checker survive anything an editor buffer can hold: they
 * never throw, always return a policy and in-range diagnostics, and finish in
 * bounded time on random text, random YAML, mutated policies, alias bombs,
 * deep nesting and a huge file.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { stringify } from "yaml";
import { checkPolicy } from "../../src/core/check";
import { parsePolicy } from "../../src/core/parse";
import { randomPolicyObject } from "../system/support/random-policy";
import { Rng, runSeed } from "../system/support/rng";

const SEED = runSeed();
const RUNS = Number(process.env.MAILPOLICY_PARSE_RUNS ?? 400);
console.log(`hostile-parse.test: seed ${SEED} (replay with MAILPOLICY_SEED=${SEED})`);

/** Generous: these catch runaway (exponential, quadratic on big input) work, not a slow machine. */
const CASE_BUDGET_MS = 2_000;

/** Runs parse and check on `text`, asserting the contract; returns the slower of the two, in ms. */
function survives(text: string): number {
  let slowest = 0;
  for (const run of [() => parsePolicy(text), () => checkPolicy(text, { today: "2026-01-01" })]) {
    const start = performance.now();
    const result = run();
    slowest = Math.max(slowest, performance.now() - start);
    assert.ok(result.policy, "returns a policy");
    assert.ok(Array.isArray(result.diagnostics), "returns diagnostics");
    for (const d of result.diagnostics) {
      assert.ok(
        0 <= d.range.start && d.range.start <= d.range.end && d.range.end <= text.length,
        `${d.code} range ${d.range.start}-${d.range.end} outside the text (length ${text.length})`,
      );
      assert.equal(typeof d.message, "string");
    }
  }
  return slowest;
}

function property(arbitrary: fc.Arbitrary<string>, runs = RUNS): void {
  fc.assert(
    fc.property(arbitrary, (text) => {
      const ms = survives(text);
      if (ms > CASE_BUDGET_MS) throw new Error(`took ${Math.round(ms)} ms`);
    }),
    { seed: SEED, numRuns: runs },
  );
}

/** Random values rendered as YAML, in block and flow style. */
const randomYaml = fc.tuple(fc.anything({ maxDepth: 4, withBigInt: false }), fc.boolean()).map(([value, flow]) => {
  try {
    return stringify(value, flow ? { collectionStyle: "flow" } : undefined) ?? "";
  } catch {
    return String(value);
  }
});

/** A valid random policy with one node replaced by random junk: near-misses are where parsers break. */
const mutatedPolicy = fc
  .tuple(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.anything({ maxDepth: 2, withBigInt: false }), fc.nat())
  .map(([seed, junk, pick]) => {
    const object = randomPolicyObject(new Rng(seed));
    const paths: (string | number)[][] = [];
    const walk = (node: unknown, path: (string | number)[]) => {
      paths.push(path);
      if (node && typeof node === "object") {
        for (const [k, v] of Object.entries(node)) walk(v, [...path, Array.isArray(node) ? Number(k) : k]);
      }
    };
    walk(object, []);
    const path = paths[1 + (pick % (paths.length - 1))];
    let parent = object as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
    parent[path.at(-1)!] = junk;
    try {
      return stringify(object);
    } catch {
      return "mailpolicy: 1\n";
    }
  });

test(`random text never throws (seed ${SEED})`, () => {
  property(fc.string({ unit: "binary", maxLength: 400 }));
  property(fc.string({ unit: fc.constantFrom(..."-:[]{}&*!|>'\"%@`#, \n\t?abc123"), maxLength: 300 }));
});

test(`random YAML never throws (seed ${SEED})`, () => {
  property(randomYaml);
});

test(`policies with one node replaced by junk never throw (seed ${SEED})`, () => {
  property(mutatedPolicy);
});

test("an alias bomb is refused quickly", () => {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 12; i++) {
    const prev = String.fromCharCode(96 + i);
    const cur = String.fromCharCode(97 + i);
    lines.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(",")}]`);
  }
  lines.push("mailpolicy: 1", "sources:", "  office: *l", "inbound:", "  rules:", "    - allow: *l", "      from: *l");
  const ms = survives(lines.join("\n"));
  assert.ok(ms < CASE_BUDGET_MS, `took ${Math.round(ms)} ms`);
});

test("deep nesting neither overflows the stack nor hangs", () => {
  for (const text of [
    "[".repeat(100_000),
    "{a: ".repeat(50_000),
    `sources:\n  office: ${"[".repeat(10_000)}1${"]".repeat(10_000)}`,
    Array.from({ length: 2_000 }, (_, i) => `${" ".repeat(i)}- `).join("\n"),
    Array.from({ length: 1_500 }, (_, i) => `${" ".repeat(i)}k${i}:`).join("\n"),
    "- ".repeat(50_000),
  ]) {
    const ms = survives(text);
    console.log(
      `hostile-parse.test: ${JSON.stringify(text.slice(0, 12))}... (${text.length} chars) in ${Math.round(ms)} ms`,
    );
    assert.ok(ms < CASE_BUDGET_MS * 5, `${JSON.stringify(text.slice(0, 20))}... took ${Math.round(ms)} ms`);
  }
});

test("a huge policy (about 1 MB, 10,000 rules) is checked in bounded time", () => {
  const rules = Array.from(
    { length: 10_000 },
    (_, i) => `    - allow: ${1 + (i % 60000)}/tcp\n      from: 198.51.${i % 256}.0/24\n      note: rule ${i}`,
  );
  const text = ["mailpolicy: 1", "inbound:", "  default: drop", "  rules:", ...rules, ""].join("\n");
  assert.ok(text.length > 500_000);
  const ms = survives(text);
  // A hang detector with room for a loaded CI machine; the time is printed to watch the trend.
  assert.ok(ms < 60_000, `took ${Math.round(ms)} ms`);
  console.log(`hostile-parse.test: ${Math.round(text.length / 1024)} kB policy checked in ${Math.round(ms)} ms`);
});

test("a huge junk file (2 MB) is handled in bounded time", () => {
  const text = fc
    .sample(fc.string({ unit: "binary", minLength: 1000, maxLength: 1000 }), { seed: SEED, numRuns: 2000 })
    .join("\n");
  const ms = survives(text);
  assert.ok(ms < 30_000, `took ${Math.round(ms)} ms`);
});
