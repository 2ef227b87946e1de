/**
 * Planned outputs: a generator decides its findings at once and writes its
 * text only when asked (the editor checks on every keystroke and needs only
 * the findings), through the one mechanism in generate/common.ts.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderAliyun } from "../../src/core/generate/aliyun";
import { renderAws } from "../../src/core/generate/aws";
import {
  OutputChunk,
  OutputWriter,
  outputOfText,
  type PlannedDocument,
  plannedDocument,
} from "../../src/core/generate/common";
import { generateTarget } from "../../src/core/generate/index";
import type { Policy, TargetName } from "../../src/core/model";
import { makePolicy } from "../support/arbitraries";

describe("planned outputs", () => {
  it("a plan writes its text only when asked, and once", () => {
    let built = 0;
    const plan = plannedDocument([], () => {
      built++;
      return outputOfText("{}\n", [null]);
    });
    assert.deepEqual(plan.diagnostics, []);
    assert.equal(built, 0, "nothing is written while planning");
    const doc = plan.render();
    assert.equal(plan.render(), doc);
    assert.equal(built, 1);
  });

  const cases: { target: TargetName; plan: (policy: Policy) => PlannedDocument; policy: Policy }[] = [
    {
      target: "aliyun",
      plan: (policy) => renderAliyun(policy, "en"),
      policy: makePolicy({
        inbound: { default: "reject", rules: [{ action: "allow", ports: ["25"], peers: ["any"] }] },
        targets: { aliyun: { priority: 1 } },
      }),
    },
    {
      target: "aws",
      plan: (policy) => renderAws(policy, "en"),
      policy: makePolicy({
        inbound: { default: "drop", rules: [{ action: "reject", ports: ["25"], peers: ["10.0.0.0/8"] }] },
        targets: { aws: {} },
      }),
    },
  ];
  for (const { target, plan: planOf, policy } of cases) {
    it(`${target}: the plan carries its findings and renders once what generateTarget writes`, () => {
      const plan = planOf(policy);
      assert.deepEqual(
        plan.diagnostics.map((d) => d.code),
        ["target.unsupported"],
      );
      const doc = plan.render();
      assert.equal(plan.render(), doc);
      assert.equal(doc.text, generateTarget(policy, target).text);
    });
  }
});

describe("generated outputs", () => {
  const policy = makePolicy({
    inbound: { default: "drop", rules: [{ action: "allow", ports: ["25"], peers: ["any"] }] },
    targets: { iptables: { ipv6: false, baseline: true, forward: "drop" }, aws: {} },
  });

  it("read as plain data: a copy or JSON holds the text and line map, never the plan", () => {
    const output = generateTarget(policy, "aws");
    const copy = { ...output };
    assert.deepEqual(Object.keys(copy).sort(), ["diagnostics", "fileName", "lineRules", "target", "text"]);
    assert.equal(copy.text, output.text);
    assert.deepEqual(copy.lineRules, output.lineRules);
    assert.deepEqual(Object.keys(JSON.parse(JSON.stringify(output))).sort(), Object.keys(copy).sort());
    assert.deepEqual(Object.getOwnPropertySymbols(copy), []);
  });

  it("give the text's lines too, made once, and the text from them (or them from it)", () => {
    const ref = { direction: "inbound" as const, index: 0 };
    const written = new OutputWriter();
    written.line("a");
    written.chunk(OutputChunk.ofText("\nb"), ref);
    written.chunk(OutputChunk.ofLines([]), null);
    written.line("c");
    for (const doc of [written.done(), outputOfText("a\n\nb\nc\n", [null, ref, ref, null])]) {
      assert.equal(doc.text, "a\n\nb\nc\n");
      assert.deepEqual(doc.lines, ["a", "", "b", "c"]);
      assert.deepEqual(doc.lineRules, [null, ref, ref, null]);
      assert.equal(doc.lines, doc.lines);
      assert.equal(doc.text, doc.text);
    }
    for (const target of ["iptables", "aws"] as const) {
      const output = generateTarget(policy, target);
      assert.equal(`${output.lines.join("\n")}\n`, output.text);
      assert.equal(output.lines.length, output.lineRules.length);
    }
  });

  it("share one getter for text and lines, not closures per output", () => {
    // Closures per output, held by V8 in the object's hidden class (old generation), keep
    // each edit's whole policy alive through young-generation collections: see index.ts.
    const a = generateTarget(policy, "iptables");
    const b = generateTarget(policy, "aws");
    for (const key of ["text", "lineRules", "lines"]) {
      const getter = Object.getOwnPropertyDescriptor(a, key)?.get;
      assert.ok(getter, `${key} is made on first read`);
      assert.equal(Object.getOwnPropertyDescriptor(b, key)?.get, getter);
    }
  });
});
