/** AWS security groups: the allowed set, merged into permissions, within EC2's rules. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { cidrContains, formatCidr, intervalToCidrs } from "../../src/core/addresses";
import { renderAws } from "../../src/core/generate/aws";
import { generateTarget } from "../../src/core/generate/index";
import { type MatchBox, ruleBoxes } from "../../src/core/match";
import type { AddressFamily, Cidr, Policy, RuleSet } from "../../src/core/model";
import {
  BUILT_DEFAULT_RANGE,
  builtRuleRange,
  makePolicy,
  type PolicyInput,
  policyArbitrary,
  type RuleInput,
} from "../support/arbitraries";

const gen = (input: PolicyInput) => generateTarget(makePolicy(input), "aws");
const doc = (input: PolicyInput) => JSON.parse(gen(input).text);
const inbound = (def: "accept" | "drop" | "reject", ...rules: RuleInput[]): PolicyInput => ({
  inbound: { default: def, rules },
});
type Perm = {
  IpProtocol: string;
  FromPort?: number;
  ToPort?: number;
  IpRanges: { CidrIp: string }[];
  Ipv6Ranges: { CidrIpv6: string }[];
};
const summary = (perms: Perm[]) =>
  perms.map(
    (p) =>
      `${p.IpProtocol} ${p.FromPort ?? ""}-${p.ToPort ?? ""} ${[...p.IpRanges.map((r) => r.CidrIp), ...p.Ipv6Ranges.map((r) => r.CidrIpv6)].join(" ")}`,
  );

describe("aws: document shape", () => {
  it("is describe-security-groups JSON with GroupId when configured", () => {
    const out = gen({
      ...inbound("drop", { action: "allow", ports: ["25"], peers: ["any"] }),
      targets: { aws: { groupId: "sg-1" } },
    });
    assert.equal(out.fileName, "aws-security-group.json");
    const parsed = JSON.parse(out.text);
    assert.equal(out.text, `${JSON.stringify(parsed, null, 2)}\n`);
    assert.deepEqual(parsed, {
      GroupId: "sg-1",
      IpPermissions: [
        {
          IpProtocol: "tcp",
          FromPort: 25,
          ToPort: 25,
          IpRanges: [{ CidrIp: "0.0.0.0/0", Description: "25" }],
          Ipv6Ranges: [{ CidrIpv6: "::/0", Description: "25" }],
        },
      ],
      IpPermissionsEgress: [
        {
          IpProtocol: "-1",
          IpRanges: [{ CidrIp: "0.0.0.0/0", Description: "outbound default accept" }],
          Ipv6Ranges: [{ CidrIpv6: "::/0", Description: "outbound default accept" }],
        },
      ],
    });
  });

  it("omits GroupId when it is not configured", () => {
    assert.deepEqual(Object.keys(doc({})), ["IpPermissions", "IpPermissionsEgress"]);
  });
});

describe("aws: the allowed set", () => {
  it("an earlier deny is cut out of a later allow's addresses", () => {
    const d = doc(
      inbound(
        "drop",
        { action: "deny", ports: ["25"], peers: ["128.0.0.0/1"] },
        { action: "allow", ports: ["25"], peers: ["any4"] },
      ),
    );
    assert.deepEqual(summary(d.IpPermissions), ["tcp 25-25 0.0.0.0/1"]);
  });

  it("an earlier deny is cut out of a later allow's ports", () => {
    const d = doc(
      inbound(
        "drop",
        { action: "reject", ports: ["53"], peers: ["any4"] },
        { action: "allow", ports: ["1-100"], peers: ["10.0.0.0/8"] },
      ),
    );
    assert.deepEqual(summary(d.IpPermissions), ["tcp 1-52 10.0.0.0/8", "tcp 54-100 10.0.0.0/8"]);
  });

  it("a later deny does not change an earlier allow", () => {
    const d = doc(
      inbound(
        "drop",
        { action: "allow", ports: ["25"], peers: ["any4"] },
        { action: "deny", ports: ["25"], peers: ["10.0.0.0/8"] },
      ),
    );
    assert.deepEqual(summary(d.IpPermissions), ["tcp 25-25 0.0.0.0/0"]);
  });

  it("cutting a host out of a prefix leaves the fewest covering CIDRs", () => {
    const d = doc(
      inbound(
        "drop",
        { action: "deny", ports: ["22"], peers: ["10.0.0.0/32"] },
        { action: "allow", ports: ["22"], peers: ["10.0.0.0/30"] },
      ),
    );
    assert.deepEqual(summary(d.IpPermissions), ["tcp 22-22 10.0.0.1/32 10.0.0.2/31"]);
  });

  it("rules with the same protocol and ports share one permission, with no CIDR listed twice", () => {
    const d = doc(
      inbound(
        "drop",
        { action: "allow", ports: ["993"], peers: ["10.0.0.0/8"] },
        { action: "allow", ports: ["993"], peers: ["10.0.0.0/8", "192.0.2.0/24"] },
        { action: "allow", ports: ["993"], peers: ["10.1.0.0/16"] },
      ),
    );
    assert.deepEqual(summary(d.IpPermissions), ["tcp 993-993 10.0.0.0/8 192.0.2.0/24"]);
  });

  it("default accept with no deny is one all-protocol permission", () => {
    const d = doc({ inbound: { default: "drop", rules: [] }, outbound: { default: "accept", rules: [] } });
    assert.deepEqual(d.IpPermissionsEgress, [
      {
        IpProtocol: "-1",
        IpRanges: [{ CidrIp: "0.0.0.0/0", Description: "outbound default accept" }],
        Ipv6Ranges: [{ CidrIpv6: "::/0", Description: "outbound default accept" }],
      },
    ]);
  });

  it("default accept with a deny is TCP and UDP minus the deny, with a target.unsupported on the default", () => {
    const out = gen(
      inbound(
        "accept",
        { action: "deny", ports: ["1-65535"], peers: ["any6"] },
        { action: "deny", ports: ["25"], peers: ["any4"] },
      ),
    );
    // Ports 1-65535: every port a policy can name (port 0 is not a real destination).
    assert.deepEqual(summary(JSON.parse(out.text).IpPermissions), [
      "tcp 1-24 0.0.0.0/0",
      "tcp 26-65535 0.0.0.0/0",
      "udp 1-65535 0.0.0.0/0 ::/0",
    ]);
    assert.deepEqual(
      out.diagnostics.map((d) => [d.code, d.severity, d.range]),
      [["target.unsupported", "warning", BUILT_DEFAULT_RANGE.inbound]],
    );
  });
});

describe("aws: diagnostics", () => {
  it("reject is reported as a silent drop (info) on the action", () => {
    const out = gen(inbound("drop", { action: "reject", ports: ["25"], peers: ["any4"] }));
    assert.deepEqual(
      out.diagnostics.map((d) => [d.code, d.severity, d.range]),
      [["target.unsupported", "info", builtRuleRange("inbound", 0).actionRange]],
    );
  });

  it("a Chinese note falls back to the port text, with target.description", () => {
    const out = gen(inbound("drop", { action: "allow", ports: ["465"], peers: ["any4"], note: "企业邮箱" }));
    assert.equal(JSON.parse(out.text).IpPermissions[0].IpRanges[0].Description, "465");
    assert.deepEqual(
      out.diagnostics.map((d) => [d.code, d.range]),
      [["target.description", builtRuleRange("inbound", 0).range]],
    );
  });

  it("more than 60 IPv4 entries in one direction is a target.limit naming the rule", () => {
    const peers = Array.from({ length: 61 }, (_, i) => `10.${i * 2}.0.0/16`);
    const out = gen(
      inbound(
        "drop",
        { action: "allow", ports: ["25"], peers: peers.filter((_, i) => i % 2 === 0) },
        { action: "allow", ports: ["26"], peers },
      ),
    );
    const limits = out.diagnostics.filter((d) => d.code === "target.limit");
    assert.equal(limits.length, 1);
    assert.deepEqual(limits[0].rule, { direction: "inbound", index: 1 });
    assert.match(limits[0].message, /IPv4/);
  });

  it("60 entries are within the quota", () => {
    const peers = Array.from({ length: 60 }, (_, i) => `10.0.${i * 2}.0/24`);
    assert.deepEqual(gen(inbound("drop", { action: "allow", ports: ["25"], peers })).diagnostics, []);
  });
});

describe("aws: line map", () => {
  it("maps permission and range lines to the rule that produced them", () => {
    const out = gen(
      inbound(
        "drop",
        { action: "allow", ports: ["25"], peers: ["any4"] },
        { action: "allow", ports: ["25"], peers: ["any6"] },
      ),
    );
    const textLines = out.text.split("\n").slice(0, -1);
    assert.equal(out.lineRules.length, textLines.length);
    const at = (needle: string) => out.lineRules[textLines.findIndex((l) => l.includes(needle))];
    assert.deepEqual(at('"CidrIp": "0.0.0.0/0"'), { direction: "inbound", index: 0 });
    assert.deepEqual(at('"CidrIpv6": "::/0"'), { direction: "inbound", index: 1 });
    assert.deepEqual(at('"IpProtocol": "tcp"'), { direction: "inbound", index: 0 });
    assert.equal(at('"IpPermissionsEgress"'), null);
  });
});

describe("aws: planning and rendering", () => {
  // Each rule's ranges for one permission, merged and cut into the fewest CIDRs, without those
  // inside the permission's earlier CIDRs: the general path, which whole apart prefixes skip.
  it("a permission's CIDRs are its rules' addresses merged into the fewest prefixes (property)", () => {
    const allowOnly = (policy: Policy): Policy => {
      const only = (set: RuleSet): RuleSet => ({
        ...set,
        default: "drop",
        rules: set.rules.filter((r) => r.action === "allow"),
      });
      return { ...policy, inbound: only(policy.inbound), outbound: only(policy.outbound) };
    };
    // Prefixes that touch, nest and repeat, so rules need merging as often as not.
    const near = [
      "10.0.0.0/25",
      "10.0.0.128/25",
      "10.0.0.0/24",
      "10.0.1.0/24",
      "10.0.0.0/23",
      "10.0.2.1",
      "10.0.2.0/31",
    ];
    const nearRule = fc.record({
      action: fc.constant("allow" as const),
      ports: fc.subarray(["25", "465", "20-30"], { minLength: 1 }),
      peers: fc.array(fc.constantFrom(...near, "2001:db8::/33", "2001:db8:8000::/33"), { minLength: 1, maxLength: 4 }),
    });
    const nearPolicy = fc.array(nearRule, { maxLength: 8 }).map((rules) =>
      makePolicy({
        inbound: { default: "drop", rules },
        outbound: { default: "drop", rules: [] },
        targets: { aws: {} },
      }),
    );
    fc.assert(
      fc.property(fc.oneof(policyArbitrary(12).map(allowOnly), nearPolicy), (policy) => {
        const doc = JSON.parse(renderAws(policy, "en").render().text);
        for (const [rules, perms] of [
          [policy.inbound.rules, doc.IpPermissions],
          [policy.outbound.rules, doc.IpPermissionsEgress],
        ] as const) {
          const expected = new Map<string, Record<AddressFamily, Cidr[]>>();
          for (const rule of rules) {
            const groups = new Map<string, MatchBox[]>();
            for (const box of ruleBoxes(rule)) {
              const key = `${box.protocol} ${box.portLo}-${box.portHi} ${box.family}`;
              groups.set(key, [...(groups.get(key) ?? []), box]);
            }
            for (const [key, boxes] of groups) {
              const perm = key.slice(0, key.lastIndexOf(" "));
              if (!expected.has(perm)) expected.set(perm, { 4: [], 6: [] });
              const family = boxes[0].family;
              const list = expected.get(perm)![family];
              const before = [...list];
              const sorted = [...boxes].sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
              const merged: [bigint, bigint][] = [];
              for (const b of sorted) {
                const last = merged[merged.length - 1];
                if (last && b.lo <= last[1] + 1n) last[1] = b.hi > last[1] ? b.hi : last[1];
                else merged.push([b.lo, b.hi]);
              }
              for (const [lo, hi] of merged) {
                for (const c of intervalToCidrs(family, lo, hi)) {
                  if (!before.some((e) => cidrContains(e, c))) list.push(c);
                }
              }
            }
          }
          const actual = (perms as Perm[]).map(
            (p) =>
              `${p.IpProtocol} ${p.FromPort}-${p.ToPort}: ${[...p.IpRanges.map((r) => r.CidrIp), ...p.Ipv6Ranges.map((r) => r.CidrIpv6)].join(" ")}`,
          );
          const wanted = [...expected].map(
            ([perm, lists]) => `${perm}: ${[...lists[4], ...lists[6]].map(formatCidr).join(" ")}`,
          );
          assert.deepEqual(actual, wanted);
        }
      }),
      { numRuns: 300 },
    );
  });
});
