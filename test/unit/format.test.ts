import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import type { PolicyDiagnostic } from "../../src/core/diagnostics";
import {
  CONTINUATION,
  diagnosticLocation,
  displayWidth,
  formatDiagnosticText,
  MIN_SIDE_BY_SIDE_WIDTH,
  markdownToPlainText,
  renderSideBySide,
  toJsonReport,
  toPrintable,
  wrapLine,
} from "../../src/core/format";
import { LineIndex } from "../../src/core/lines";

const text = "mailpolicy: 1\ninbound:\n  rules:\n    - allow: imapz\n";
const lines = new LineIndex(text);
const start = text.indexOf("imapz");
const unknown: PolicyDiagnostic = {
  code: "port.unknown-service",
  severity: "error",
  message: 'unknown service "imapz"; did you mean "imaps"?',
  range: { start, end: start + 5 },
};

describe("diagnostic text and JSON", () => {
  test("locations are 1-based with an exclusive end column", () => {
    assert.deepEqual(diagnosticLocation(lines, unknown.range), { line: 4, column: 14, endLine: 4, endColumn: 19 });
  });

  test("a text line is file:line:col severity code message", () => {
    assert.equal(
      formatDiagnosticText("p.mailpolicy.yaml", lines, unknown),
      'p.mailpolicy.yaml:4:14 error port.unknown-service unknown service "imapz"; did you mean "imaps"?',
    );
  });

  test("a message spanning lines is printed on one line", () => {
    const out = formatDiagnosticText("p", lines, { ...unknown, message: "first\n  second" });
    assert.equal(out, "p:4:14 error port.unknown-service first second");
  });

  test("terminal escapes in a message are shown, not executed", () => {
    const out = formatDiagnosticText("p", lines, { ...unknown, message: "bad \u001b[31mred" });
    assert.ok(!out.includes("\u001b"));
    assert.ok(out.includes("\\u001b[31mred"));
  });

  test("the JSON report has exactly the documented keys in order", () => {
    const report = toJsonReport([{ file: "p.yaml", lines, diagnostics: [unknown] }]);
    assert.deepEqual(Object.keys(report[0]), ["file", "diagnostics"]);
    assert.deepEqual(Object.keys(report[0].diagnostics[0]), [
      "code",
      "severity",
      "message",
      "line",
      "column",
      "endLine",
      "endColumn",
    ]);
    assert.deepEqual(report[0].diagnostics[0], {
      code: "port.unknown-service",
      severity: "error",
      message: unknown.message,
      line: 4,
      column: 14,
      endLine: 4,
      endColumn: 19,
    });
  });
});

describe("terminal-safe text", () => {
  test("control and bidi-override characters become visible escapes", () => {
    assert.equal(toPrintable("a\u001bb\u202ec\u009bd\re"), "a\\u001bb\\u202ec\\u009bd\\u000de");
  });

  test("newlines, tabs and Chinese text are kept", () => {
    assert.equal(toPrintable("一\n二\tthree"), "一\n二\tthree");
  });

  test("Chinese characters take two columns, combining marks none", () => {
    assert.equal(displayWidth("abc"), 3);
    assert.equal(displayWidth("阿里云"), 6);
    assert.equal(displayWidth("e\u0301"), 1);
  });
});

describe("wrapping", () => {
  test("a line that fits is one row", () => {
    assert.deepEqual(wrapLine("-A INPUT -j ACCEPT", 40), ["-A INPUT -j ACCEPT"]);
  });

  test("breaks after a space and marks the continuation, keeping the indentation", () => {
    assert.deepEqual(wrapLine('  "Description": "legacy scanner"', 24), [
      '  "Description": ',
      `  ${CONTINUATION}"legacy scanner"`,
    ]);
  });

  test("a word longer than the row is split, not cut", () => {
    const rows = wrapLine("x".repeat(25), 10);
    assert.equal(rows.map((r) => r.replace(CONTINUATION, "")).join(""), "x".repeat(25));
  });

  const printable = fc.string({ unit: fc.constantFrom("a", "b", " ", "-", "中", "文", "é"), maxLength: 200 });

  test("rows never exceed the width and together hold every character", () => {
    fc.assert(
      fc.property(printable, fc.integer({ min: 8, max: 80 }), (line, width) => {
        const rows = wrapLine(line, width);
        for (const row of rows) assert.ok(displayWidth(row) <= width, `${JSON.stringify(row)} > ${width}`);
        const indent = line.length - line.trimStart().length;
        const prefixLength = Math.min(indent, Math.floor(width / 2)) + CONTINUATION.length;
        const rejoined =
          rows[0] +
          rows
            .slice(1)
            .map((r) => r.slice(prefixLength))
            .join("");
        assert.equal(rejoined, line);
      }),
    );
  });
});

describe("side by side", () => {
  const left = { title: "iptables-save: rules.v4", lines: ["*filter", "-A INPUT -p tcp -m tcp --dport 25 -j ACCEPT"] };
  const right = { title: "阿里云安全组", lines: ["{", '  "RegionId": "cn-hangzhou"', "}"] };

  test("puts both headers on the first row and a rule under them", () => {
    const rows = renderSideBySide(left, right, 80);
    assert.match(rows[0], /^iptables-save: rules\.v4 +│ 阿里云安全组$/);
    assert.match(rows[1], /^─+┼─+$/);
  });

  test("every row fits the width and the separator stays in one column", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom("a", " ", "中", "-"), maxLength: 120 }), { maxLength: 8 }),
        fc.array(fc.string({ unit: fc.constantFrom("b", " ", "云", '"'), maxLength: 120 }), { maxLength: 8 }),
        fc.integer({ min: MIN_SIDE_BY_SIDE_WIDTH, max: 200 }),
        (l, r, width) => {
          const rows = renderSideBySide({ title: "L", lines: l }, { title: "右", lines: r }, width);
          const bar = rows.map((row) => displayWidth(row.slice(0, Math.max(row.indexOf("│"), row.indexOf("┼")))));
          for (const row of rows) assert.ok(displayWidth(row) <= width, `${JSON.stringify(row)} > ${width}`);
          assert.equal(new Set(bar).size, 1, `separator moves: ${bar}`);
        },
      ),
    );
  });

  test("long lines are wrapped, not cut", () => {
    const rows = renderSideBySide(left, right, 40);
    const leftCells = rows.slice(2).map((r) => r.split(" │")[0].trimEnd());
    const joined = leftCells.join(" ").replaceAll(CONTINUATION, "");
    for (const word of left.lines[1].split(" ")) assert.ok(joined.includes(word), word);
    assert.ok(rows.some((r) => r.includes(CONTINUATION)));
  });

  test("a narrower width is raised to the minimum", () => {
    const rows = renderSideBySide(left, right, 10);
    assert.ok(rows.every((r) => displayWidth(r) <= MIN_SIDE_BY_SIDE_WIDTH));
    assert.ok(rows.some((r) => displayWidth(r) > 10));
  });

  test("a narrow column keeps its natural width and the other gets the rest", () => {
    const rows = renderSideBySide(
      { title: "v4", lines: ["x".repeat(30)] },
      { title: "sg", lines: ["y".repeat(200)] },
      120,
    );
    assert.equal(rows[0].indexOf("│"), 31);
    assert.equal(rows[2], `${"x".repeat(30)} │ ${"y".repeat(120 - 33)}`);
  });
});

describe("Markdown to plain text", () => {
  test("headings are underlined and inline marks removed", () => {
    const md =
      "### `imaps` 993/tcp\n\nIMAP over **implicit TLS**, see [RFC 8314](https://www.rfc-editor.org/rfc/rfc8314).";
    assert.equal(
      markdownToPlainText(md),
      "imaps 993/tcp\n-------------\n\nIMAP over implicit TLS, see RFC 8314 (https://www.rfc-editor.org/rfc/rfc8314).",
    );
  });

  test("list items get bullets and keep snake_case and ranges", () => {
    assert.equal(
      markdownToPlainText("- node_exporter on 6000-6010/udp\n- *one*"),
      "• node_exporter on 6000-6010/udp\n• one",
    );
  });

  test("tables are aligned without the delimiter row", () => {
    const md = "| port | name |\n|---|---|\n| 993 | imaps |\n| 25 | smtp |";
    assert.equal(markdownToPlainText(md), "port  name\n993   imaps\n25    smtp");
  });

  test("code blocks are indented and left as written", () => {
    assert.equal(markdownToPlainText("```\n**x**\n```"), "    **x**");
  });

  test("rules become a line and blank lines are collapsed", () => {
    assert.equal(markdownToPlainText("a\n\n\n\n---\n\nb\n"), `a\n\n${"─".repeat(20)}\n\nb`);
  });

  test("control characters in the documentation are escaped", () => {
    assert.equal(markdownToPlainText("a\u001b[2Jb"), "a\\u001b[2Jb");
  });
});
