/**
 * Golden files: every example generates exactly the files under
 * test/golden/expected/<example>/, byte for byte. After an intended change,
 * run `npm run golden:update` and review the diff.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { kernelTestOptions, requireKernel, restoreAndSave, ruleLines } from "../support/kernel";
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
        it(
          `${output.fileName} is canonical: iptables-save prints back the same rule lines`,
          kernelTestOptions(),
          () => {
            requireKernel();
            const restored = restoreAndSave(output.text, output.target === "iptables" ? 4 : 6);
            assert.equal(restored.status, 0, restored.stderr);
            assert.deepEqual(ruleLines(restored.saved), ruleLines(output.text));
          },
        );
      }
    });
  }
});
