import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import fc from "fast-check";
import { checkPolicy, configuredTargets, dedupeDiagnostics } from "../../src/core/check";
import { compareDiagnostics, type PolicyDiagnostic } from "../../src/core/diagnostics";
import { parsePolicy } from "../../src/core/parse";
import { sliceOf } from "../support/cursor";

const example = readFileSync(new URL("../../examples/mx1.mailpolicy.yaml", import.meta.url), "utf8");
const TODAY = "2026-06-01";

const pop3 = (acknowledge: string) => `mailpolicy: 1
sources:
  office: 203.0.113.0/24
inbound:
  rules:
    - allow: ssh
      from: office
    - allow: pop3
      from: office
${acknowledge}`;

describe("checkPolicy on the spec example", () => {
  const result = checkPolicy(example, { today: TODAY });

  test("has no errors and no warnings", () => {
    assert.equal(result.hasErrors, false);
    assert.deepEqual(
      result.diagnostics.filter((d) => d.severity === "error" || d.severity === "warning"),
      [],
    );
  });

  test("keeps the acknowledged pop3 finding as a hint on `pop3`", () => {
    const hint = result.diagnostics.find((d) => d.code === "security.plaintext-access");
    assert.ok(hint);
    assert.equal(hint.severity, "hint");
    assert.equal(sliceOf(example, hint.range), "pop3");
  });
});

describe("acknowledge", () => {
  test("turns the rule's own finding into a hint", () => {
    const [d] = checkPolicy(pop3("      acknowledge: [security.plaintext-access]\n")).diagnostics;
    assert.equal(d.code, "security.plaintext-access");
    assert.equal(d.severity, "hint");
  });
  test("without it the finding keeps its severity", () => {
    const [d] = checkPolicy(pop3("")).diagnostics;
    assert.equal(d.severity, "warning");
  });
  test("acknowledging another code changes nothing", () => {
    const [d] = checkPolicy(pop3("      acknowledge: [rule.expired]\n")).diagnostics;
    assert.equal(d.severity, "warning");
  });
});

describe("severity settings", () => {
  test("`off` removes a code", () => {
    assert.deepEqual(checkPolicy(pop3(""), { severities: { "security.plaintext-access": "off" } }).diagnostics, []);
  });
  test("a raised severity counts as an error", () => {
    const r = checkPolicy(pop3(""), { severities: { "security.plaintext-access": "error" } });
    assert.equal(r.diagnostics[0].severity, "error");
    assert.equal(r.hasErrors, true);
  });
  test("an acknowledged finding stays a hint whatever its setting", () => {
    const r = checkPolicy(pop3("      acknowledge: [security.plaintext-access]\n"), {
      severities: { "security.plaintext-access": "error" },
    });
    assert.equal(r.diagnostics[0].severity, "hint");
    assert.equal(r.hasErrors, false);
  });
  test("a parse error lowered to a warning still blocks generation", () => {
    const text = pop3("").replace("from: office\n    - allow: pop3", "from: ofice\n    - allow: pop3");
    const r = checkPolicy(text, { severities: { "source.undefined": "warning" } });
    assert.ok(r.diagnostics.every((d) => d.severity !== "error"));
    assert.equal(r.hasErrors, true);
  });
});

describe("partly unreadable policies", () => {
  const text =
    "mailpolicy: 1\ninbound:\n  rules:\n    - allow: ssh\n      from: ofice\n    - allow: 110\n      from: any\n";
  const r = checkPolicy(text, { today: TODAY });
  test("report the parse error and the local checks", () => {
    assert.deepEqual(
      r.diagnostics.map((d) => d.code),
      ["source.undefined", "security.plaintext-access"],
    );
    assert.equal(r.hasErrors, true);
  });
  test("leave out whole-policy checks, which would guess (no lock-out warning for a misspelt ssh source)", () =>
    assert.ok(!r.diagnostics.some((d) => d.code === "security.lockout")));
});

describe("results", () => {
  test("are sorted by position", () => {
    const text = "mailpolicy: 1\nnmae: x\ninbound:\n  default: accept\n  rules:\n    - allow: imapz\n      from: any\n";
    const ds = checkPolicy(text).diagnostics;
    assert.ok(ds.length >= 3);
    assert.deepEqual([...ds].sort(compareDiagnostics), ds);
  });
  test("identical findings from two targets are kept once", () => {
    const d: PolicyDiagnostic = {
      code: "target.limit",
      severity: "warning",
      message: "m",
      range: { start: 1, end: 2 },
    };
    assert.deepEqual(dedupeDiagnostics([d, { ...d }, { ...d, message: "other" }]).length, 2);
  });
  test("messages follow the language", () => {
    const zh = checkPolicy(pop3(""), { lang: "zh-cn" }).diagnostics[0].message;
    assert.match(zh, /RFC 8314/);
    assert.match(zh, /[\u4e00-\u9fff]/);
  });
});

describe("configuredTargets", () => {
  test("lists the targets a policy asks for, ip6tables when IPv6 is on", () => {
    assert.deepEqual(configuredTargets(parsePolicy(example).policy), ["iptables", "ip6tables", "aliyun", "aws"]);
    assert.deepEqual(configuredTargets(parsePolicy("mailpolicy: 1\ntargets:\n  iptables:\n").policy), ["iptables"]);
    assert.deepEqual(configuredTargets(parsePolicy("mailpolicy: 1\n").policy), []);
  });
});

describe("checkPolicy never throws", () => {
  test("on random text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const r = checkPolicy(s, { today: TODAY });
        assert.equal(typeof r.hasErrors, "boolean");
      }),
      { numRuns: 200 },
    );
  });
  test("on mutations of the example", () => {
    fc.assert(
      fc.property(fc.nat(example.length), fc.nat(40), fc.string({ maxLength: 12 }), (at, cut, insert) => {
        const text = example.slice(0, at) + insert + example.slice(Math.min(example.length, at + cut));
        const r = checkPolicy(text, { today: TODAY, lang: at % 2 ? "zh-cn" : "en" });
        for (const d of r.diagnostics) assert.ok(d.range.end <= text.length && d.range.start <= d.range.end);
      }),
      { numRuns: 300 },
    );
  });
});

describe("target findings from the check", () => {
  const text = [
    "mailpolicy: 1",
    "inbound:",
    "  rules:",
    "    - allow: ssh",
    "      from: 203.0.113.0/24",
    "      note: 运维跳板机",
    "targets:",
    "  aws: {groupId: sg-1}",
  ].join("\n");

  test("target.description points at the note that had to change", () => {
    const found = checkPolicy(text).diagnostics.filter((d) => d.code === "target.description");
    assert.deepEqual(
      found.map((d) => sliceOf(text, d.range)),
      ["运维跳板机"],
    );
  });

  test("the outputs made while checking are kept for reuse, and none while errors exist", () => {
    assert.deepEqual([...checkPolicy(text).outputs.keys()], ["aws"]);
    assert.equal(checkPolicy(text.replace("ssh", "shh")).outputs.size, 0);
  });
});
