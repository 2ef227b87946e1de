import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { checkPolicy, configuredTargets } from "../../src/core/check";
import { DIAGNOSTIC_CODES } from "../../src/core/diagnostics";
import { generateTarget } from "../../src/core/generate/index";
import { LineIndex } from "../../src/core/lines";
import type { TargetName } from "../../src/core/model";
import { applyLineEdits, outputLines, outputText } from "../../src/extension/preview/lineChanges";
import {
  buildPreviewState,
  linesOfRule,
  type PreviewInput,
  ruleAtOffset,
  type SentOutputs,
  sentState,
  summaryText,
  type TargetGenerator,
} from "../../src/extension/preview/previewModel";
import { type PreviewLabels, parseRuleKey, ruleKey } from "../../src/extension/preview/protocol";

const POLICY = `mailpolicy: 1
name: mx1.example.com
sources:
  office: 203.0.113.0/24
inbound:
  default: drop
  rules:
    - allow: smtp
      from: any
    - allow: ssh
      from: office
      note: "</pre><script>alert(1)</script>"
targets:
  iptables:
    ipv6: false
  aws:
    groupId: sg-0123456789abcdef0
`;

function input(text: string, extra: Partial<PreviewInput> = {}): PreviewInput {
  return {
    resource: "untitled:Untitled-1",
    title: "Untitled-1",
    version: 1,
    lang: "en",
    locked: false,
    labels: {} as PreviewLabels,
    host: "iptables",
    cloud: "aws",
    configured: configuredTargets(checkPolicy(text).policy),
    ...extra,
  };
}

function build(text: string, generate: TargetGenerator = generateTarget, extra: Partial<PreviewInput> = {}) {
  return buildPreviewState(checkPolicy(text), new LineIndex(text), generate, input(text, extra));
}

describe("preview state", () => {
  test("a valid policy gives the shown host and cloud outputs, each marked configured or not", () => {
    const state = build(POLICY);
    assert.equal(state.hasErrors, false);
    assert.deepEqual(
      state.outputs.map((o) => [o.target, o.configured]),
      [
        ["iptables", true],
        ["aws", true],
      ],
    );
    const v4 = state.outputs.find((o) => o.target === "iptables")!;
    assert.equal(v4.text, generateTarget(checkPolicy(POLICY).policy, "iptables").text);
    assert.equal(v4.lineRules.length, v4.text.split("\n").length - 1);
    const other = build(POLICY, generateTarget, { host: "ip6tables", cloud: "aliyun" });
    assert.deepEqual(
      other.outputs.map((o) => [o.target, o.configured]),
      [
        ["ip6tables", false],
        ["aliyun", false],
      ],
    );
  });

  test("only the shown targets are generated on an update", () => {
    const made: TargetName[] = [];
    build(POLICY, (policy, target, lang) => {
      made.push(target);
      return generateTarget(policy, target, lang);
    });
    assert.deepEqual(made, ["iptables", "aws"]);
  });

  test("an update sends each output whole the first time, then only the lines that changed", () => {
    const sent: SentOutputs = new Map();
    const first = build(POLICY);
    const whole = sentState(first, sent, 1);
    assert.deepEqual(
      whole.outputs.map((o) => [o.target, o.id, o.text === first.outputs.find((f) => f.target === o.target)!.text]),
      [
        ["iptables", 1, true],
        ["aws", 1, true],
      ],
    );
    const edited = POLICY.replace("allow: ssh", "allow: 2222/tcp");
    const second = build(edited);
    const patched = sentState(second, sent, 2);
    for (const view of patched.outputs) {
      assert.ok(view.patch, view.target);
      assert.equal(view.text, undefined);
      assert.equal(view.patch.base, 1);
      const before = first.outputs.find((o) => o.target === view.target)!;
      const after = second.outputs.find((o) => o.target === view.target)!;
      // Fewer lines sent than the output has: only what the edit changed.
      const sentLines = view.patch.edits.reduce((n, e) => n + e.lines.length, 0);
      assert.ok(sentLines > 0 && sentLines < outputLines(after.text).length, `${view.target}: ${sentLines} lines`);
      const rebuilt = applyLineEdits({ lines: outputLines(before.text), rules: before.lineRules }, view.patch.edits);
      assert.equal(outputText(rebuilt.lines, view.patch.finalNewline), after.text);
      assert.deepEqual(rebuilt.rules, after.lineRules);
      assert.equal(rebuilt.lines.length, view.patch.lineCount);
    }
    assert.deepEqual([...sent.keys()], ["iptables", "aws"]);
    assert.equal(sent.get("aws")!.id, 2);
  });

  test("an update takes the output's lines and never joins its text; a whole view reads the text once", () => {
    // The core's output as it is (with its chunks), and as a copy with its lines only.
    for (const shape of ["chunks", "lines"] as const) {
      const joined: TargetName[] = [];
      // The core's output, with its text getter counting reads (its lines stay as they are).
      const counting: TargetGenerator = (policy, target, lang) => {
        const out = generateTarget(policy, target, lang);
        const fields = { target, fileName: out.fileName, diagnostics: out.diagnostics, lineRules: out.lineRules };
        const parts =
          shape === "chunks"
            ? { lines: out.lines, chunks: out.chunks, chunkRules: out.chunkRules }
            : { lines: out.lines };
        return Object.defineProperty({ ...fields, ...parts }, "text", {
          enumerable: true,
          get: () => {
            joined.push(target);
            return out.text;
          },
        }) as typeof out;
      };
      const sent: SentOutputs = new Map();
      sentState(build(POLICY, counting), sent, 1);
      assert.deepEqual(joined, ["iptables", "aws"], `${shape}: sent whole: each text read once`);
      joined.length = 0;
      const patched = sentState(build(POLICY.replace("allow: ssh", "allow: 2222/tcp"), counting), sent, 2);
      assert.ok(
        patched.outputs.every((view) => view.patch && view.patch.edits.length > 0),
        shape,
      );
      assert.deepEqual(joined, [], `${shape}: a patch reads no text`);
    }
  });

  test("each output line carries the key of the rule it came from", () => {
    const v4 = build(POLICY).outputs.find((o) => o.target === "iptables")!;
    const lines = v4.text.split("\n");
    const smtp = lines.findIndex((l) => l.includes("--dport 25 "));
    const ssh = lines.findIndex((l) => l.includes("--dport 22 "));
    assert.equal(v4.lineRules[smtp], "inbound:0");
    assert.equal(v4.lineRules[ssh], "inbound:1");
    assert.equal(v4.lineRules[lines.indexOf("*filter")], null);
  });

  test("with an error the state lists the errors with positions and carries no output at all", () => {
    const broken = POLICY.replace("allow: ssh", "allow: sshh");
    const state = build(broken);
    assert.equal(state.hasErrors, true);
    assert.deepEqual(state.outputs, []);
    assert.equal(state.errors.length, 1);
    const [error] = state.errors;
    assert.equal(error.code, "port.unknown-service");
    assert.equal(broken.slice(error.start, error.end), "sshh");
    assert.equal(error.line, 9);
    assert.equal(error.character, "    - allow: ".length);
  });

  test("an error the user turned down still blocks output and is listed", () => {
    const broken = POLICY.replace("allow: ssh", "allow: [ssh");
    // Every error code turned down to a warning: only "part of the file unread" still blocks.
    const severities = Object.fromEntries(DIAGNOSTIC_CODES.map((c) => [c, "warning" as const]));
    const check = checkPolicy(broken, { severities });
    const state = buildPreviewState(check, new LineIndex(broken), generateTarget, input(POLICY));
    assert.equal(check.hasErrors, true);
    assert.ok(!check.diagnostics.some((d) => d.severity === "error"));
    assert.equal(state.hasErrors, true);
    assert.deepEqual(state.outputs, []);
    assert.ok(state.errors.some((e) => e.code === "yaml.syntax" && e.severity === "warning"));
  });

  test("a generator that throws blanks only its own side", () => {
    const failing: TargetGenerator = (policy, target: TargetName, lang) => {
      if (target === "aws") throw new Error("quota table missing");
      return generateTarget(policy, target, lang);
    };
    const state = build(POLICY, failing);
    const aws = state.outputs.find((o) => o.target === "aws")!;
    assert.equal(aws.failure, "quota table missing");
    assert.equal(aws.text, "");
    assert.ok(state.outputs.find((o) => o.target === "iptables")!.text.includes("*filter"));
  });

  test("target diagnostics travel with the target they concern", () => {
    const state = build(
      POLICY,
      (policy, target, lang) => {
        const out = generateTarget(policy, target, lang);
        if (target !== "aliyun") return out;
        const diagnostic = {
          code: "target.unsupported" as const,
          severity: "warning" as const,
          message: "cannot express",
          range: { start: POLICY.indexOf("smtp"), end: POLICY.indexOf("smtp") + 4 },
        };
        return { ...out, diagnostics: [diagnostic] };
      },
      { cloud: "aliyun" },
    );
    const aliyun = state.outputs.find((o) => o.target === "aliyun")!;
    assert.deepEqual(
      aliyun.problems.map((p) => [p.code, p.message, p.line]),
      [["target.unsupported", "cannot express", 7]],
    );
    for (const o of state.outputs.filter((o) => o.target !== "aliyun")) {
      assert.ok(!o.problems.some((p) => p.code === "target.unsupported"), o.target);
    }
  });

  test("the rule under the cursor is part of the state", () => {
    assert.equal(
      build(POLICY, generateTarget, { cursorOffset: POLICY.indexOf("office\n      note") }).cursorRule,
      "inbound:1",
    );
    assert.equal(build(POLICY, generateTarget, { cursorOffset: 0 }).cursorRule, null);
  });
});

describe("line mapping", () => {
  test("ruleAtOffset finds the rule whose text holds the offset, in both directions", () => {
    const text = `${POLICY}outbound:\n  default: accept\n  rules:\n    - reject: smtp\n      to: any\n`;
    const { policy } = checkPolicy(text);
    assert.deepEqual(ruleAtOffset(policy, text.indexOf("allow: smtp")), { direction: "inbound", index: 0 });
    assert.deepEqual(ruleAtOffset(policy, text.indexOf("reject: smtp") + 3), { direction: "outbound", index: 0 });
    assert.equal(ruleAtOffset(policy, text.indexOf("targets:")), undefined);
  });

  test("linesOfRule gives every line of one rule and nothing for no rule", () => {
    const rules = [null, "inbound:0", "inbound:1", "inbound:0", null] as const;
    assert.deepEqual(linesOfRule(rules, "inbound:0"), [1, 3]);
    assert.deepEqual(linesOfRule(rules, "outbound:0"), []);
    assert.deepEqual(linesOfRule(rules, null), []);
  });

  test("rule keys round-trip and reject anything else", () => {
    assert.equal(ruleKey({ direction: "outbound", index: 12 }), "outbound:12");
    assert.deepEqual(parseRuleKey("outbound:12"), { direction: "outbound", index: 12 });
    assert.equal(parseRuleKey("sideways:1"), undefined);
    assert.equal(parseRuleKey("inbound:1; drop"), undefined);
  });
});

describe("status text", () => {
  const t = (message: string, ...args: (string | number)[]) =>
    message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));
  test("errors come first, then warnings, else the policy is OK", () => {
    assert.equal(summaryText({ errors: 2, warnings: 5, targets: [] }, t), "$(error) 2 errors");
    assert.equal(summaryText({ errors: 1, warnings: 0, targets: [] }, t), "$(error) 1 error");
    assert.equal(summaryText({ errors: 0, warnings: 3, targets: [] }, t), "$(warning) 3 warnings");
    assert.equal(summaryText({ errors: 0, warnings: 0, targets: ["aws"] }, t), "$(check) Policy OK");
  });
});
