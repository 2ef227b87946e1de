/**
 * Kernel round trip: every golden iptables output and every example's generated
 * output is restored into a private network namespace, and iptables-save must
 * print exactly our rule lines back (only comment lines and counters may differ).
 * That proves the files load, and that they are in the kernel's canonical form.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { type Family, kernelTestOptions, requireKernel, restoreAndSave, ruleLines } from "../support/kernel";
import {
  compilePolicy,
  exampleFiles,
  iptablesFamilies,
  iptablesText,
  REPO_ROOT,
  readExample,
} from "./support/policies";
import { randomPolicyText } from "./support/random-policy";
import { Rng, runSeed } from "./support/rng";

const GOLDEN_DIR = path.join(REPO_ROOT, "test/golden/expected");
const SEED = runSeed();
const RANDOM_POLICIES = Number(process.env.MAILPOLICY_RANDOM_ROUNDTRIPS ?? 40);
console.log(`kernel-roundtrip.test: seed ${SEED} (replay with MAILPOLICY_SEED=${SEED})`);

/** Golden `rules.v4` / `rules.v6` files, relative to the golden directory. */
function goldenRuleFiles(dir = GOLDEN_DIR): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && (entry.name === "rules.v4" || entry.name === "rules.v6")) {
      out.push(path.relative(GOLDEN_DIR, path.join(entry.parentPath, entry.name)));
    }
  }
  return out.sort();
}

/** Asserts the kernel loads `text` and saves the same rule lines. */
function assertRoundTrip(text: string, family: Family, label: string): void {
  const result = restoreAndSave(text, family);
  assert.equal(result.status, 0, `${label}: ip${family === 6 ? "6" : ""}tables-restore refused it: ${result.stderr}`);
  assert.deepEqual(ruleLines(result.saved), ruleLines(text), `${label}: iptables-save prints different rule lines`);
}

describe(
  "kernel round trip: iptables-restore then iptables-save gives our rule lines back",
  kernelTestOptions(),
  () => {
    test("golden outputs", (t) => {
      requireKernel();
      const files = goldenRuleFiles();
      if (files.length === 0) {
        // The golden set is made by the generator's own suite; without it there is nothing to load here.
        if (process.env.CI) assert.fail(`no golden rules files under ${path.relative(REPO_ROOT, GOLDEN_DIR)}`);
        t.skip("no golden rules files yet");
        return;
      }
      for (const file of files) {
        assertRoundTrip(readFileSync(path.join(GOLDEN_DIR, file), "utf8"), file.endsWith(".v6") ? 6 : 4, file);
      }
    });

    for (const file of exampleFiles()) {
      test(`example ${file}`, () => {
        requireKernel();
        const policy = compilePolicy(readExample(file), file);
        for (const family of iptablesFamilies(policy)) {
          assertRoundTrip(iptablesText(policy, family), family, `${file} (IPv${family})`);
        }
      });
    }

    test(`${RANDOM_POLICIES} random policies (seed ${SEED})`, () => {
      requireKernel();
      const rng = new Rng(SEED);
      for (let i = 0; i < RANDOM_POLICIES; i++) {
        const text = randomPolicyText(rng, { maxRules: 12 });
        const policy = compilePolicy(text, `random policy #${i}`);
        for (const family of iptablesFamilies(policy)) {
          assertRoundTrip(
            iptablesText(policy, family),
            family,
            `random policy #${i} (seed ${SEED}, IPv${family})\n${text}`,
          );
        }
      }
    });

    test("a file that is not in canonical form is caught", () => {
      requireKernel();
      // The kernel loads these, but prints them differently: a generator emitting them must fail the suite.
      const base = ["*filter", ":INPUT DROP [0:0]", ":FORWARD DROP [0:0]", ":OUTPUT ACCEPT [0:0]"];
      for (const rule of [
        "-A INPUT -s 203.0.113.7 -p tcp -m tcp --dport 25 -j ACCEPT",
        "-A INPUT -p tcp --dport 25 -j ACCEPT",
        "-A INPUT -p tcp -m tcp --dport smtp -j ACCEPT",
        '-A INPUT -p tcp -m tcp --dport 25 -m comment --comment "plain" -j ACCEPT',
      ]) {
        const text = [...base, rule, "COMMIT", ""].join("\n");
        assert.throws(() => assertRoundTrip(text, 4, rule), /different rule lines/, rule);
      }
      const injected = [...base, '-A INPUT -m comment --comment "x', "-A INPUT -j ACCEPT", "COMMIT", ""].join("\n");
      assert.throws(() => assertRoundTrip(injected, 4, "unbalanced quote"), /refused|different/);
    });
  },
);
