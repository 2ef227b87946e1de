import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  applyLineEdits,
  chunkEdits,
  type LineChange,
  lineChanges,
  lineEdits,
  type OutputChunks,
  type OutputLines,
  outputLines,
  outputText,
} from "../../src/extension/preview/lineChanges";

type Output = OutputLines<string | null>;

/** What the webview does with the changes: from the last back, the new lines replace the old. */
function apply(before: Output, after: Output, changes: readonly LineChange[]): Output {
  const lines = [...before.lines];
  const rules = [...before.rules];
  for (const c of [...changes].reverse()) {
    lines.splice(c.start, c.deleteCount, ...after.lines.slice(c.start, c.start + c.insertCount));
    rules.splice(c.start, c.deleteCount, ...after.rules.slice(c.start, c.start + c.insertCount));
  }
  return { lines, rules };
}

// Few distinct lines and rules, so outputs share many lines as real ones do.
const line = fc.constantFrom("*filter", "-A INPUT -p tcp --dport 25 -j ACCEPT", "COMMIT", "  {", "  }", "");
const rule = fc.constantFrom(null, "inbound:0", "inbound:1", "outbound:0");
const output: fc.Arbitrary<Output> = fc
  .array(fc.tuple(line, rule), { maxLength: 40 })
  .map((pairs) => ({ lines: pairs.map((p) => p[0]), rules: pairs.map((p) => p[1]) }));
/** An output and an edit of it: some lines replaced in place, or a run inserted and removed. */
const edited: fc.Arbitrary<[Output, Output]> = fc
  .tuple(output, fc.array(fc.tuple(fc.nat(), line, rule), { maxLength: 5 }), fc.nat(), fc.nat(5), output)
  .map(([before, replaced, at, removed, inserted]) => {
    const lines = [...before.lines];
    const rules = [...before.rules];
    for (const [i, l, r] of replaced) {
      if (lines.length === 0) break;
      lines[i % lines.length] = l;
      rules[i % lines.length] = r;
    }
    const pos = at % (lines.length + 1);
    lines.splice(pos, removed, ...inserted.lines);
    rules.splice(pos, removed, ...inserted.rules);
    return [before, { lines, rules }];
  });

type Chunked = OutputChunks<string | null>;

/** The lines of a chunked output, each with its chunk's rule. */
function flat(output: Chunked): Output {
  const lines: string[] = [];
  const rules: (string | null)[] = [];
  output.chunks.forEach((chunk, c) => {
    for (const l of chunk) {
      lines.push(l);
      rules.push(output.rules[c]);
    }
  });
  return { lines, rules };
}

const chunked: fc.Arbitrary<Chunked> = fc
  .array(fc.tuple(fc.array(line, { minLength: 1, maxLength: 4 }), rule), { maxLength: 12 })
  .map((pairs) => ({ chunks: pairs.map((p) => p[0]), rules: pairs.map((p) => p[1]) }));
/**
 * A chunked output and the next one, as a check after an edit makes it: most
 * chunks the same arrays, some replaced (by equal copies too), some inserted or removed.
 */
const nextChunked: fc.Arbitrary<[Chunked, Chunked]> = fc
  .tuple(chunked, fc.array(fc.tuple(fc.nat(), fc.boolean(), chunked), { maxLength: 3 }), fc.nat(), fc.nat(3), chunked)
  .map(([before, replaced, at, removed, inserted]) => {
    const chunks = [...before.chunks];
    const rules = [...before.rules];
    for (const [i, copy, other] of replaced) {
      if (chunks.length === 0) break;
      const n = i % chunks.length;
      if (copy) chunks[n] = [...chunks[n]];
      else if (other.chunks.length > 0) {
        chunks[n] = other.chunks[0];
        rules[n] = other.rules[0];
      }
    }
    const pos = at % (chunks.length + 1);
    chunks.splice(pos, removed, ...inserted.chunks);
    rules.splice(pos, removed, ...inserted.rules);
    return [before, { chunks, rules }];
  });

describe("preview chunk edits", () => {
  test("the edits found chunk by chunk rebuild the new output from the old one", () => {
    fc.assert(
      fc.property(fc.oneof(nextChunked, fc.tuple(chunked, chunked)), ([before, after]) => {
        assert.deepEqual(applyLineEdits(flat(before), chunkEdits(before, after)), flat(after));
      }),
      { numRuns: 3000 },
    );
  });

  test("an edit inside one rule's chunk gives the same edits as comparing every line", () => {
    fc.assert(
      fc.property(chunked, fc.nat(), line, (before, at, replacement) => {
        if (before.chunks.length === 0) return;
        const n = at % before.chunks.length;
        const chunks = [...before.chunks];
        chunks[n] = [...chunks[n].slice(0, -1), replacement];
        const after = { chunks, rules: before.rules };
        assert.deepEqual(chunkEdits(before, after), lineEdits(flat(before), flat(after)));
      }),
      { numRuns: 2000 },
    );
  });

  test("the chunks both outputs share at the start and the end are passed over, their lines unread", () => {
    // A shared chunk whose lines throw when read: only its length may be.
    const unread = (text: string): string[] =>
      new Proxy([text], {
        get: (target, key) => {
          if (key === "length") return target.length;
          throw new Error(`the lines of "${text}" were read`);
        },
      });
    const head = [unread("*filter"), unread("-A INPUT -p tcp --dport 25 -j ACCEPT")];
    const tail = [unread("COMMIT")];
    const before: Chunked = {
      chunks: [...head, ["-A INPUT -p tcp --dport 22 -j ACCEPT"], ...tail],
      rules: [null, "inbound:0", "inbound:1", null],
    };
    const after: Chunked = {
      chunks: [...head, ["-A INPUT -p tcp --dport 2222 -j ACCEPT"], ...tail],
      rules: [null, "inbound:0", "inbound:1", null],
    };
    assert.deepEqual(chunkEdits(before, after), [
      { start: 2, deleteCount: 1, lines: ["-A INPUT -p tcp --dport 2222 -j ACCEPT"], rules: ["inbound:1"] },
    ]);
  });
});

describe("preview line changes", () => {
  test("applying the changes to the old output gives the new one, lines and rules", () => {
    fc.assert(
      fc.property(fc.oneof(edited, fc.tuple(output, output)), ([before, after]) => {
        assert.deepEqual(apply(before, after, lineChanges(before, after)), after);
      }),
      { numRuns: 2000 },
    );
  });

  test("changes are in order, apart and inside both outputs", () => {
    fc.assert(
      fc.property(fc.oneof(edited, fc.tuple(output, output)), ([before, after]) => {
        let end = 0;
        for (const c of lineChanges(before, after)) {
          assert.ok(c.start >= end, "in order and apart");
          assert.ok(c.deleteCount > 0 || c.insertCount > 0, "each change changes something");
          assert.ok(c.start + c.deleteCount <= before.lines.length);
          assert.ok(c.start + c.insertCount <= after.lines.length);
          end = c.start + Math.max(c.deleteCount, c.insertCount);
        }
      }),
      { numRuns: 2000 },
    );
  });

  test("with the line count unchanged, only the lines that differ are replaced", () => {
    fc.assert(
      fc.property(edited, ([before, after]) => {
        fc.pre(before.lines.length === after.lines.length);
        for (const c of lineChanges(before, after)) {
          assert.equal(c.deleteCount, c.insertCount);
          for (let i = c.start; i < c.start + c.insertCount; i++) {
            assert.ok(
              before.lines[i] !== after.lines[i] || before.rules[i] !== after.rules[i],
              `line ${i} is unchanged`,
            );
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  test("an edit inside one rule of a long output replaces its lines only", () => {
    const before: Output = {
      lines: Array.from({ length: 100_000 }, (_, i) => `-A INPUT -s 10.0.${i >> 8}.${i & 255}/32 -j ACCEPT`),
      rules: Array.from({ length: 100_000 }, (_, i) => `inbound:${i}`),
    };
    const lines = [...before.lines];
    lines[40_000] = "-A INPUT -s 10.9.9.9/32 -j ACCEPT";
    assert.deepEqual(lineChanges(before, { lines, rules: before.rules }), [
      { start: 40_000, deleteCount: 1, insertCount: 1 },
    ]);
    // A rule added: the lines after it move, but only the new ones are made.
    const added = { lines: [...before.lines], rules: [...before.rules] };
    added.lines.splice(500, 0, "-A INPUT -p tcp --dport 587 -j ACCEPT");
    added.rules.splice(500, 0, "inbound:500");
    assert.deepEqual(lineChanges(before, added), [{ start: 500, deleteCount: 0, insertCount: 1 }]);
    assert.deepEqual(lineChanges(before, before), []);
  });

  test("a rule that moves changes the lines even where the text is the same", () => {
    const before: Output = { lines: ["a", "b"], rules: ["inbound:0", "inbound:1"] };
    const after: Output = { lines: ["a", "b"], rules: ["inbound:0", "inbound:2"] };
    assert.deepEqual(lineChanges(before, after), [{ start: 1, deleteCount: 1, insertCount: 1 }]);
  });

  test("output text splits into its lines, without one after the final newline", () => {
    assert.deepEqual(outputLines("*filter\nCOMMIT\n"), ["*filter", "COMMIT"]);
    assert.deepEqual(outputLines("{}"), ["{}"]);
  });
  test("the edits sent for an update rebuild the new output from the old one", () => {
    fc.assert(
      fc.property(fc.oneof(edited, fc.tuple(output, output)), ([before, after]) => {
        assert.deepEqual(applyLineEdits(before, lineEdits(before, after)), after);
      }),
      { numRuns: 2000 },
    );
  });

  test("applying edits leaves the old output as it was", () => {
    const before: Output = { lines: ["a", "b", "c"], rules: [null, "inbound:0", null] };
    const after: Output = { lines: ["a", "B", "c", "d"], rules: [null, "inbound:0", null, null] };
    applyLineEdits(before, lineEdits(before, after));
    assert.deepEqual(before, { lines: ["a", "b", "c"], rules: [null, "inbound:0", null] });
  });

  test("an output's text comes back whole from its lines and final newline", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", " ", "\n", "é") }), (text) => {
        assert.equal(outputText(outputLines(text), text.endsWith("\n")), text);
      }),
      { numRuns: 2000 },
    );
  });
});
