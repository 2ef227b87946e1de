/** Notes made safe for each target: nothing a user writes can escape its field. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  isControl,
  quoteIptablesArg,
  sanitizeAliyunDescription,
  sanitizeAwsDescription,
  sanitizeCommentLine,
  sanitizeIptablesComment,
  truncateUtf8,
  utf8Length,
} from "../../src/core/sanitize";
import { noteArbitrary } from "../support/arbitraries";
import { splitIptablesArgs } from "../support/simulate";

describe("iptables comments", () => {
  it("turns newlines, other controls and Unicode line separators into spaces", () => {
    const { text, changed } = sanitizeIptablesComment("a\nb\r\tc\u0000d\u007fe\u0085f\u2028g\u2029h");
    assert.equal(text, "a b  c d e f g h");
    assert.equal(changed, true);
  });

  it("keeps a plain note unchanged", () => {
    assert.deepEqual(sanitizeIptablesComment("legacy scanner, remove by 2027"), {
      text: "legacy scanner, remove by 2027",
      changed: false,
    });
  });

  it("cuts to 255 UTF-8 bytes without splitting a character", () => {
    const { text, changed } = sanitizeIptablesComment("邮".repeat(100)); // 300 bytes
    assert.equal(changed, true);
    assert.equal(text, "邮".repeat(85)); // 255 bytes exactly
    assert.equal(truncateUtf8("ab邮", 4), "ab");
    assert.equal(truncateUtf8("a😀", 5), "a😀");
    assert.equal(truncateUtf8("a😀", 4), "a");
  });

  it("replaces a lone surrogate, which UTF-8 cannot encode", () => {
    assert.equal(sanitizeIptablesComment("x\ud800y").text, "x\ufffdy");
  });

  it("any note sanitizes to at most 255 bytes with no control character", () => {
    fc.assert(
      fc.property(noteArbitrary, (note) => {
        const { text } = sanitizeIptablesComment(note);
        assert.ok(utf8Length(text) <= 255);
        assert.ok([...text].every((ch) => !isControl(ch.codePointAt(0)!)));
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe("quoting an iptables argument like xtables_save_string", () => {
  it("leaves [A-Za-z0-9_-] bare", () => {
    assert.equal(quoteIptablesArg("node_exporter"), "node_exporter");
    assert.equal(quoteIptablesArg("-j"), "-j");
  });

  it("quotes anything else and escapes double quote, backslash and single quote", () => {
    assert.equal(quoteIptablesArg("a b"), '"a b"');
    assert.equal(quoteIptablesArg(`say "hi" it's \\`), `"say \\"hi\\" it\\'s \\\\"`);
    assert.equal(quoteIptablesArg(""), '""');
  });

  it("iptables-restore reads a quoted sanitized note back as exactly one argument, unchanged", () => {
    fc.assert(
      fc.property(noteArbitrary, (note) => {
        const { text } = sanitizeIptablesComment(note);
        const args = splitIptablesArgs(`-m comment --comment ${quoteIptablesArg(text)} -j ACCEPT`);
        assert.deepEqual(args, ["-m", "comment", "--comment", text, "-j", "ACCEPT"]);
      }),
      { numRuns: 500, seed: 11 },
    );
  });
});

describe("AWS descriptions", () => {
  it("keeps only the characters EC2 accepts and collapses spaces", () => {
    assert.deepEqual(sanitizeAwsDescription("smtp (MX) #1: a.b_c-d/e@f[g]+h=i&j;k{l}!m$n*o,p", "25"), {
      text: "smtp (MX) #1: a.b_c-d/e@f[g]+h=i&j;k{l}!m$n*o,p",
      changed: false,
    });
    assert.deepEqual(sanitizeAwsDescription('mail "relay"\n 邮件 % ~', "25"), { text: "mail relay", changed: true });
  });

  it("falls back to the port text when nothing is left", () => {
    assert.deepEqual(sanitizeAwsDescription("阿里云企业邮箱", "submissions"), { text: "submissions", changed: true });
  });

  it("is at most 255 characters", () => {
    const { text, changed } = sanitizeAwsDescription("x".repeat(300), "25");
    assert.equal(text.length, 255);
    assert.equal(changed, true);
  });
});

describe("Alibaba Cloud descriptions", () => {
  it("keeps Chinese text and replaces controls", () => {
    assert.deepEqual(sanitizeAliyunDescription("阿里云企业邮箱", "465"), { text: "阿里云企业邮箱", changed: false });
    assert.equal(sanitizeAliyunDescription("a\nb", "465").text, "a b");
  });

  it("is 1 to 512 characters", () => {
    assert.equal(sanitizeAliyunDescription("y".repeat(600), "465").text.length, 512);
    assert.equal(sanitizeAliyunDescription("", "465").text, "465");
    assert.equal(sanitizeAliyunDescription("\n\n", "465").text, "465");
  });
});

describe("what counts as a control character", () => {
  it("C0, DEL, C1, line and paragraph separators and bidi overrides, but not ordinary text", () => {
    for (const cp of [0x00, 0x0a, 0x0d, 0x1f, 0x7f, 0x85, 0x9f, 0x2028, 0x2029, 0x202e, 0x2066])
      assert.ok(isControl(cp));
    for (const cp of [0x20, 0x41, 0xa0, 0x90ae, 0x1f600]) assert.ok(!isControl(cp));
  });
});

describe("header comment lines", () => {
  it("a name can never start a new line", () => {
    assert.equal(sanitizeCommentLine("mx1\n-A INPUT -j ACCEPT\r\n"), "mx1 -A INPUT -j ACCEPT");
  });
});
