/** The JSON writer behind the cloud targets: JSON.stringify's bytes plus a rule per line. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { type JsonValue, renderJson, tagRule } from "../../src/core/generate/json";

describe("renderJson", () => {
  it("prints exactly what JSON.stringify(value, null, 2) prints, plus a newline", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const normalized = JSON.parse(JSON.stringify(value)) as JsonValue;
        assert.equal(renderJson(normalized).text, `${JSON.stringify(normalized, null, 2)}\n`);
      }),
      { numRuns: 300, seed: 5 },
    );
  });

  it("gives exactly one rule entry per line of any JSON value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const doc = renderJson(JSON.parse(JSON.stringify(value)) as JsonValue);
        assert.equal(doc.lineRules.length, doc.text.split("\n").length - 1);
      }),
      { numRuns: 300, seed: 6 },
    );
  });

  it("gives one rule entry per line, the innermost tagged object winning", () => {
    const a = { direction: "inbound" as const, index: 0 };
    const b = { direction: "inbound" as const, index: 1 };
    const doc = renderJson({ list: [tagRule({ x: 1, inner: tagRule({ y: 2 }, b) }, a), { z: 3 }] });
    const lines = doc.text.split("\n").slice(0, -1);
    assert.equal(doc.lineRules.length, lines.length);
    const ruleOf = (needle: string) => doc.lineRules[lines.findIndex((l) => l.includes(needle))];
    assert.deepEqual(ruleOf('"x"'), a);
    assert.deepEqual(ruleOf('"y"'), b);
    assert.equal(ruleOf('"z"'), null);
    assert.equal(ruleOf('"list"'), null);
  });
});
