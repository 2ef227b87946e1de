/** Alibaba Cloud security groups: entries, and priorities that keep first-match results. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { distinctPorts, familyCidrs } from "../../src/core/generate/common";
import { generateTarget } from "../../src/core/generate/index";
import {
  BUILT_DEFAULT_RANGE,
  builtRuleRange,
  makePolicy,
  type PolicyInput,
  policyArbitrary,
  type RuleInput,
} from "../support/arbitraries";

const gen = (input: PolicyInput) => generateTarget(makePolicy(input), "aliyun");
const doc = (input: PolicyInput) => JSON.parse(gen(input).text);
const withPriority = (priority: number, ...rules: RuleInput[]): PolicyInput => ({
  inbound: { default: "drop", rules },
  targets: { aliyun: { priority } },
});
const priorities = (input: PolicyInput) =>
  (doc(input).Ingress as { Priority: string; Description: string }[]).map((e) => `${e.Description}:${e.Priority}`);

describe("aliyun: document shape", () => {
  it("carries RegionId and SecurityGroupId when configured, as two-space JSON ending in a newline", () => {
    const out = gen({
      inbound: { default: "drop", rules: [{ action: "allow", ports: ["25"], peers: ["any4"] }] },
      targets: { aliyun: { regionId: "cn-hangzhou", securityGroupId: "sg-1", priority: 1 } },
    });
    assert.equal(out.fileName, "aliyun-security-group.json");
    const parsed = JSON.parse(out.text);
    assert.equal(out.text, `${JSON.stringify(parsed, null, 2)}\n`);
    assert.deepEqual(parsed, {
      RegionId: "cn-hangzhou",
      SecurityGroupId: "sg-1",
      Ingress: [
        {
          IpProtocol: "TCP",
          PortRange: "25/25",
          SourceCidrIp: "0.0.0.0/0",
          Policy: "accept",
          Priority: "1",
          Description: "25",
        },
      ],
      Egress: [],
    });
  });

  it("omits the IDs when they are not configured", () => {
    assert.deepEqual(Object.keys(doc({})), ["Ingress", "Egress"]);
  });

  it("uses the IPv6 and destination fields where they apply, one entry per prefix and port", () => {
    const d = doc({
      outbound: {
        default: "accept",
        rules: [{ action: "allow", ports: ["465", "53/udp"], peers: ["any"], note: "n" }],
      },
    });
    assert.deepEqual(
      d.Egress.map((e: Record<string, string>) => [
        e.IpProtocol,
        e.PortRange,
        e.DestCidrIp ?? `v6 ${e.Ipv6DestCidrIp}`,
      ]),
      [
        ["TCP", "465/465", "0.0.0.0/0"],
        ["UDP", "53/53", "0.0.0.0/0"],
        ["TCP", "465/465", "v6 ::/0"],
        ["UDP", "53/53", "v6 ::/0"],
      ],
    );
  });
});

describe("aliyun: priorities", () => {
  it("rules that do not overlap share the first priority", () => {
    assert.deepEqual(
      priorities(
        withPriority(
          5,
          { action: "allow", ports: ["25"], peers: ["any4"] },
          { action: "deny", ports: ["143"], peers: ["any4"] },
        ),
      ),
      ["25:5", "143:5"],
    );
  });

  it("a deny after an overlapping allow gets a larger number, so the allow still wins", () => {
    assert.deepEqual(
      priorities(
        withPriority(
          1,
          { action: "allow", ports: ["25"], peers: ["10.0.0.0/8"] },
          { action: "deny", ports: ["20-30"], peers: ["any4"] },
        ),
      ),
      ["25:1", "20-30:2"],
    );
  });

  it("an allow after an overlapping deny keeps the same number: at a tie drop wins", () => {
    assert.deepEqual(
      priorities(
        withPriority(
          1,
          { action: "deny", ports: ["25"], peers: ["10.0.0.0/8"] },
          { action: "allow", ports: ["25"], peers: ["any4"] },
        ),
      ),
      ["25:1", "25:1"],
    );
  });

  it("priorities climb along a chain of overlapping allow, deny, allow, deny", () => {
    assert.deepEqual(
      priorities(
        withPriority(
          1,
          { action: "allow", ports: ["25"], peers: ["10.1.2.3"] },
          { action: "deny", ports: ["25"], peers: ["10.1.0.0/16"] },
          { action: "allow", ports: ["25"], peers: ["10.0.0.0/8"] },
          { action: "reject", ports: ["25"], peers: ["any4"] },
        ),
      ),
      ["25:1", "25:2", "25:2", "25:3"],
    );
  });

  it("rules overlapping only in a different family or protocol do not push each other", () => {
    assert.deepEqual(
      priorities(
        withPriority(
          1,
          { action: "allow", ports: ["25"], peers: ["any4"] },
          { action: "deny", ports: ["25/udp"], peers: ["any4"] },
          { action: "deny", ports: ["25"], peers: ["any6"] },
        ),
      ),
      ["25:1", "25/udp:1", "25:1"],
    );
  });
});

describe("aliyun: defaults", () => {
  it("inbound default accept adds all-traffic accept entries below every rule", () => {
    const d = doc({ inbound: { default: "accept", rules: [{ action: "deny", ports: ["25"], peers: ["any4"] }] } });
    assert.deepEqual(d.Ingress.slice(1), [
      {
        IpProtocol: "ALL",
        PortRange: "-1/-1",
        SourceCidrIp: "0.0.0.0/0",
        Policy: "accept",
        Priority: "1",
        Description: "inbound default accept",
      },
      {
        IpProtocol: "ALL",
        PortRange: "-1/-1",
        Ipv6SourceCidrIp: "::/0",
        Policy: "accept",
        Priority: "1",
        Description: "inbound default accept",
      },
    ]);
  });

  it("outbound default drop adds all-traffic drop entries after every allow", () => {
    const d = doc({ outbound: { default: "drop", rules: [{ action: "allow", ports: ["465"], peers: ["any"] }] } });
    assert.deepEqual(
      d.Egress.map((e: Record<string, string>) => `${e.IpProtocol}:${e.Policy}:${e.Priority}`),
      ["TCP:accept:1", "TCP:accept:1", "ALL:drop:2", "ALL:drop:2"],
    );
  });

  it("the provider's own defaults (inbound deny, outbound allow) need no entries", () => {
    assert.deepEqual(doc({ inbound: { default: "drop", rules: [] }, outbound: { default: "accept", rules: [] } }), {
      Ingress: [],
      Egress: [],
    });
  });
});

describe("aliyun: diagnostics", () => {
  it("reject becomes drop, with an info target.unsupported on the action", () => {
    const out = gen({ inbound: { default: "drop", rules: [{ action: "reject", ports: ["25"], peers: ["any4"] }] } });
    assert.equal(JSON.parse(out.text).Ingress[0].Policy, "drop");
    assert.deepEqual(
      out.diagnostics.map((d) => [d.code, d.severity, d.range]),
      [["target.unsupported", "info", builtRuleRange("inbound", 0).actionRange]],
    );
  });

  it("a reject default is reported on the default", () => {
    const out = gen({ inbound: { default: "reject", rules: [] } });
    assert.deepEqual(
      out.diagnostics.map((d) => [d.code, d.range]),
      [["target.unsupported", BUILT_DEFAULT_RANGE.inbound]],
    );
  });

  it("needing a priority above 100 is a target.limit on the rule", () => {
    const rules: RuleInput[] = [];
    for (let i = 0; i < 110; i++) {
      rules.push(
        { action: "allow", ports: ["25"], peers: [`10.0.0.${i}`] },
        { action: "deny", ports: ["25"], peers: ["10.0.0.0/24"] },
      );
    }
    const out = gen({ inbound: { default: "drop", rules } });
    const limits = out.diagnostics.filter((d) => d.code === "target.limit");
    assert.equal(limits.length, 1, "only the first rule over the limit is reported");
    assert.match(limits[0].message, /priority 101/);
    assert.deepEqual(limits[0].rule, { direction: "inbound", index: 199 });
  });

  it("more than 1,000 entries is a target.limit", () => {
    const ports = Array.from({ length: 501 }, (_, i) => `${10000 + i}`);
    const out = gen({ inbound: { default: "drop", rules: [{ action: "allow", ports, peers: ["any"] }] } });
    assert.deepEqual(
      out.diagnostics.map((d) => d.code),
      ["target.limit"],
    );
  });

  it("a note that had to change gives target.description; Chinese text does not need to", () => {
    assert.deepEqual(
      gen({ inbound: { default: "drop", rules: [{ action: "allow", ports: ["25"], peers: ["any4"], note: "邮件" }] } })
        .diagnostics,
      [],
    );
    const out = gen({
      inbound: { default: "drop", rules: [{ action: "allow", ports: ["25"], peers: ["any4"], note: "a\nb" }] },
    });
    assert.deepEqual(
      out.diagnostics.map((d) => d.code),
      ["target.description"],
    );
  });
});

describe("aliyun: line map and scale", () => {
  it("maps every line of an entry to its rule, and the frame and default entries to null", () => {
    const out = gen({
      inbound: { default: "accept", rules: [{ action: "deny", ports: ["25"], peers: ["any4"] }] },
    });
    const textLines = out.text.split("\n").slice(0, -1);
    assert.equal(out.lineRules.length, textLines.length);
    const mapped = textLines.filter((_, i) => out.lineRules[i] !== null);
    assert.deepEqual(
      mapped.map((l) => l.trim()),
      [
        "{",
        '"IpProtocol": "TCP",',
        '"PortRange": "25/25",',
        '"SourceCidrIp": "0.0.0.0/0",',
        '"Policy": "drop",',
        '"Priority": "1",',
        '"Description": "25"',
        "},",
      ],
    );
  });

  it("random policies: exactly JSON.stringify's layout, each entry's lines mapped to the rule that wrote it", () => {
    fc.assert(
      fc.property(policyArbitrary(6), fc.option(fc.string()), fc.option(fc.string()), (policy, regionId, groupId) => {
        const targets = {
          aliyun: {
            priority: 1,
            ...(regionId === null ? {} : { regionId }),
            ...(groupId === null ? {} : { securityGroupId: groupId }),
          },
        };
        const out = generateTarget({ ...policy, targets }, "aliyun");
        const parsed = JSON.parse(out.text);
        assert.equal(out.text, `${JSON.stringify(parsed, null, 2)}\n`);
        // Entries open with `    {`; each of its 8 lines carries one rule, in the order rules write entries.
        const lines = out.text.split("\n").slice(0, -1);
        assert.equal(out.lineRules.length, lines.length);
        const written: string[] = [];
        lines.forEach((line, i) => {
          if (line !== "    {") return;
          const rule = out.lineRules[i];
          for (let k = i; k < i + 8; k++) assert.deepEqual(out.lineRules[k], rule);
          if (rule) written.push(`${rule.direction}:${rule.index}`);
        });
        const expected: string[] = [];
        for (const direction of ["inbound", "outbound"] as const) {
          for (const rule of policy[direction].rules) {
            const entries =
              (familyCidrs(rule, 4).length + familyCidrs(rule, 6).length) * distinctPorts(rule.ports).length;
            for (let n = 0; n < entries; n++) expected.push(`${direction}:${rule.index}`);
          }
        }
        assert.deepEqual(written, expected);
        assert.ok(lines.every((line, i) => out.lineRules[i] === null || line.startsWith("    ")));
      }),
      { numRuns: 150, seed: 20261204 },
    );
  });

  it("thousands of rules on distinct ports are assigned quickly (no pairwise comparison of disjoint rules)", () => {
    const rules: RuleInput[] = Array.from({ length: 5000 }, (_, i) => ({
      action: i % 2 ? "allow" : "deny",
      ports: [`${i + 1}`],
      peers: ["any"],
    }));
    const started = performance.now();
    const out = gen({ inbound: { default: "drop", rules } });
    assert.ok(performance.now() - started < 5000);
    assert.ok((JSON.parse(out.text).Ingress as { Priority: string }[]).every((e) => e.Priority === "1"));
  });
});
