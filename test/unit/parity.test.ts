/**
 * Every target lets through exactly what the policy allows: for random
 * policies and the examples, the simulated iptables, Alibaba Cloud and AWS
 * decisions agree with the reference evaluator on packets at every edge.
 * Also: generation is deterministic, and a note never adds a rule or option.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { parseAddress } from "../../src/core/addresses";
import { evaluate } from "../../src/core/evaluate";
import { generateTarget } from "../../src/core/generate/index";
import { type Packet, type Policy, TARGET_NAMES } from "../../src/core/model";
import { parsePolicy } from "../../src/core/parse";
import { sanitizeIptablesComment } from "../../src/core/sanitize";
import { edgePackets, makePolicy, noteArbitrary, policyArbitrary } from "../support/arbitraries";
import { compileAliyun, compileAws, compileIptables, parseIptablesSave } from "../support/simulate";

const RUNS = 200;
const SEED = 20261204;
const EXAMPLES = join(import.meta.dirname, "..", "..", "examples");

/** The first packet on which a target disagrees with the evaluator, or undefined. */
function firstMismatch(policy: Policy): string | undefined {
  const v4 = compileIptables(generateTarget(policy, "iptables").text, 4);
  const v6 = compileIptables(generateTarget(policy, "ip6tables").text, 6);
  const aliyun = compileAliyun(generateTarget(policy, "aliyun").text);
  const aws = compileAws(generateTarget(policy, "aws").text);
  for (const packet of edgePackets(policy, 1500)) {
    const expected = evaluate(policy, packet).verdict;
    const cloud = expected === "allow" ? "allow" : "deny";
    const iptables = parseAddress(packet.address)?.family === 6 ? v6 : v4;
    const got = { iptables: iptables(packet), aliyun: aliyun(packet), aws: aws(packet) };
    if (got.iptables !== expected || got.aliyun !== cloud || got.aws !== cloud) {
      return `${describePacket(packet)}: policy ${expected}, got ${JSON.stringify(got)}`;
    }
  }
  return undefined;
}

function describePacket(p: Packet): string {
  return `${p.direction} ${p.protocol}/${p.port} ${p.address}`;
}

describe("parity between the policy and every target", () => {
  it("random policies: iptables, ip6tables, Alibaba Cloud and AWS decide every edge packet as the policy does", () => {
    fc.assert(
      fc.property(policyArbitrary(), (policy) => {
        assert.equal(firstMismatch(policy), undefined);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  for (const file of readdirSync(EXAMPLES).filter((f) => f.endsWith(".mailpolicy.yaml"))) {
    it(`example ${file}: every target decides every edge packet as the policy does`, () => {
      const { policy } = parsePolicy(readFileSync(join(EXAMPLES, file), "utf8"));
      assert.equal(firstMismatch(policy), undefined);
    });
  }

  it("the simulators can tell a wrong output apart (an allow turned into a drop is caught)", () => {
    const policy = makePolicy({
      inbound: { default: "drop", rules: [{ action: "allow", ports: ["25"], peers: ["any"] }] },
    });
    const broken = generateTarget(policy, "iptables").text.replace(
      "--dport 25 -m comment --comment 25 -j ACCEPT",
      "--dport 25 -m comment --comment 25 -j DROP",
    );
    const decide = compileIptables(broken, 4);
    assert.equal(decide({ direction: "inbound", protocol: "tcp", port: 25, address: "192.0.2.1" }), "deny");
  });
});

describe("determinism", () => {
  it("the same policy gives the same bytes, line map and diagnostics, in any language", () => {
    fc.assert(
      fc.property(policyArbitrary(4), (policy) => {
        for (const target of TARGET_NAMES) {
          const a = generateTarget(policy, target, "en");
          const b = generateTarget(policy, target, "en");
          const zh = generateTarget(policy, target, "zh-cn");
          assert.deepEqual(a, b);
          assert.equal(zh.text, a.text);
          assert.deepEqual(zh.lineRules, a.lineRules);
          assert.deepEqual(
            zh.diagnostics.map((d) => [d.code, d.range]),
            a.diagnostics.map((d) => [d.code, d.range]),
          );
        }
      }),
      { numRuns: 50, seed: SEED },
    );
  });
});

describe("a note can never add a rule or an option", () => {
  const base = { action: "allow" as const, ports: ["25", "465", "1000-2000/udp"], peers: ["any", "10.0.0.0/8"] };

  it("iptables and ip6tables: the same rules and arguments as with a plain note, and the comment reads back as the sanitized note", () => {
    fc.assert(
      fc.property(noteArbitrary, fc.option(noteArbitrary, { nil: undefined }), (note, name) => {
        for (const target of ["iptables", "ip6tables"] as const) {
          const plain = parseIptablesSave(
            generateTarget(makePolicy({ inbound: { default: "reject", rules: [{ ...base, note: "plain" }] } }), target)
              .text,
          );
          const text = generateTarget(
            makePolicy({ name, inbound: { default: "reject", rules: [{ ...base, note }] } }),
            target,
          ).text;
          const hostile = parseIptablesSave(text);
          assert.deepEqual(hostile.policies, plain.policies);
          assert.equal(hostile.rules.length, plain.rules.length);
          const expected = sanitizeIptablesComment(note).text || undefined;
          hostile.rules.forEach((rule, i) => {
            const mask = (args: readonly string[]) => {
              const out = [...args];
              for (let j = 0; j < out.length - 1; j++) if (out[j] === "--comment") out[++j] = "*";
              return out;
            };
            assert.deepEqual(mask(rule.args), mask(plain.rules[i].args));
            if (plain.rules[i].comment === "plain" && expected !== undefined) assert.equal(rule.comment, expected);
          });
        }
      }),
      { numRuns: 300, seed: SEED },
    );
  });

  it("Alibaba Cloud and AWS: the same entries and keys as with a plain note; only descriptions differ", () => {
    fc.assert(
      fc.property(noteArbitrary, (note) => {
        for (const target of ["aliyun", "aws"] as const) {
          const plain = JSON.parse(
            generateTarget(makePolicy({ inbound: { default: "drop", rules: [{ ...base, note: "plain" }] } }), target)
              .text,
          );
          const hostile = JSON.parse(
            generateTarget(makePolicy({ inbound: { default: "drop", rules: [{ ...base, note }] } }), target).text,
          );
          const strip = (v: unknown): unknown =>
            Array.isArray(v)
              ? v.map(strip)
              : v && typeof v === "object"
                ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === "Description" ? "*" : strip(x)]))
                : v;
          assert.deepEqual(strip(hostile), strip(plain));
        }
      }),
      { numRuns: 200, seed: SEED },
    );
  });
});
