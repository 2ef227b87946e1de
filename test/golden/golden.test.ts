/**
 * Golden files: every example generates exactly the files under
 * test/golden/expected/<example>/, byte for byte. After an intended change,
 * run `npm run golden:update` and review the diff.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { EXPECTED_DIR, exampleFiles, generateExample } from "./examples";

const HINT = "run `npm run golden:update` and review the diff if the change is intended";

describe("golden outputs of the examples", () => {
  const examples = exampleFiles();

  it("there are examples to check", () => {
    assert.ok(examples.length > 0);
  });

  for (const file of examples) {
    const example = generateExample(file);
    describe(example.name, () => {
      const dir = join(EXPECTED_DIR, example.name);

      it("generates exactly the expected set of files", () => {
        assert.ok(existsSync(dir), `no expected files for ${example.name}; ${HINT}`);
        const expected = readdirSync(dir).sort();
        const actual = example.outputs.map((o) => o.fileName).sort();
        assert.deepEqual(actual, expected, HINT);
      });

      for (const output of example.outputs) {
        it(`${output.fileName} matches byte for byte`, () => {
          const path = join(dir, output.fileName);
          assert.ok(existsSync(path), `missing ${path}; ${HINT}`);
          assert.equal(output.text, readFileSync(path, "utf8"), HINT);
        });
      }

      for (const output of example.outputs.filter((o) => o.target === "iptables" || o.target === "ip6tables")) {
        it(`${output.fileName} is canonical: iptables-save prints back the same rule lines`, (t) => {
          const roundTrip = restoreAndSave(output.target === "iptables" ? "iptables" : "ip6tables", output.text);
          if (roundTrip === undefined) {
            t.skip("needs root, unshare and iptables");
            return;
          }
          assert.deepEqual(ruleLines(roundTrip), ruleLines(output.text));
        });
      }
    });
  }
});

/** Loads the rules into a fresh network namespace and saves them again; undefined when not possible here. */
function restoreAndSave(tool: "iptables" | "ip6tables", text: string): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  // A namespace and the tool must both be available; otherwise this check cannot run here.
  const probe = spawnSync("unshare", ["-n", "sh", "-c", `command -v ${tool}-restore && command -v ${tool}-save`]);
  if (probe.error || probe.status !== 0) return undefined;
  const run = spawnSync("unshare", ["-n", "sh", "-c", `${tool}-restore && ${tool}-save`], {
    input: text,
    encoding: "utf8",
  });
  if (run.error || run.status === 127) return undefined;
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

/** Everything but comments and counters: the lines that must survive a round trip. */
function ruleLines(text: string): string[] {
  return text.split("\n").filter((l) => l !== "" && !l.startsWith("#"));
}
