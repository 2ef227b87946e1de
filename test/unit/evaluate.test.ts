/** The reference evaluator: first match of the packet's direction, else the default. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { evaluate } from "../../src/core/evaluate";
import type { Packet } from "../../src/core/model";
import { makePolicy } from "../support/arbitraries";

const inbound = (protocol: "tcp" | "udp", port: number, address: string): Packet => ({
  direction: "inbound",
  protocol,
  port,
  address,
});

describe("evaluate", () => {
  const policy = makePolicy({
    inbound: {
      default: "drop",
      rules: [
        { action: "deny", ports: ["25"], peers: ["10.1.0.0/16"] },
        { action: "allow", ports: ["25", "465"], peers: ["any"] },
        { action: "reject", ports: ["1000-2000/udp"], peers: ["192.0.2.0/24,2001:db8::/32"] },
        { action: "allow", ports: ["22"], peers: ["any4"] },
      ],
    },
    outbound: { default: "reject", rules: [{ action: "allow", ports: ["465"], peers: ["any"] }] },
  });

  it("the first matching rule decides, even when a later rule would allow", () => {
    assert.deepEqual(evaluate(policy, inbound("tcp", 25, "10.1.2.3")), {
      verdict: "deny",
      rule: { direction: "inbound", index: 0 },
    });
    assert.deepEqual(evaluate(policy, inbound("tcp", 25, "10.2.0.1")), {
      verdict: "allow",
      rule: { direction: "inbound", index: 1 },
    });
  });

  it("prefix edges are inside, their neighbours outside", () => {
    assert.equal(evaluate(policy, inbound("tcp", 25, "10.1.0.0")).verdict, "deny");
    assert.equal(evaluate(policy, inbound("tcp", 25, "10.1.255.255")).verdict, "deny");
    assert.equal(evaluate(policy, inbound("tcp", 25, "10.0.255.255")).rule?.index, 1);
    assert.equal(evaluate(policy, inbound("tcp", 25, "10.2.0.0")).rule?.index, 1);
  });

  it("port ranges include both ends and nothing beyond", () => {
    assert.equal(evaluate(policy, inbound("udp", 1000, "192.0.2.1")).verdict, "reject");
    assert.equal(evaluate(policy, inbound("udp", 2000, "2001:db8::1")).verdict, "reject");
    assert.equal(evaluate(policy, inbound("udp", 999, "192.0.2.1")).rule, null);
    assert.equal(evaluate(policy, inbound("udp", 2001, "192.0.2.1")).rule, null);
  });

  it("the protocol must match: a TCP rule does not match UDP", () => {
    assert.deepEqual(evaluate(policy, inbound("udp", 465, "192.0.2.1")), { verdict: "deny", rule: null });
  });

  it("an IPv4-only peer does not match an IPv6 packet", () => {
    assert.equal(evaluate(policy, inbound("tcp", 22, "192.0.2.1")).verdict, "allow");
    assert.deepEqual(evaluate(policy, inbound("tcp", 22, "2001:db8::1")), { verdict: "deny", rule: null });
  });

  it("each direction has its own rules and default", () => {
    const out = (port: number): Packet => ({ direction: "outbound", protocol: "tcp", port, address: "198.51.100.1" });
    assert.deepEqual(evaluate(policy, out(465)), { verdict: "allow", rule: { direction: "outbound", index: 0 } });
    assert.deepEqual(evaluate(policy, out(25)), { verdict: "reject", rule: null });
  });

  it("defaults map accept to allow, drop to deny and reject to reject", () => {
    for (const [def, verdict] of [
      ["accept", "allow"],
      ["drop", "deny"],
      ["reject", "reject"],
    ] as const) {
      const p = makePolicy({ inbound: { default: def, rules: [] } });
      assert.deepEqual(evaluate(p, inbound("tcp", 25, "192.0.2.1")), { verdict, rule: null });
    }
  });

  it("an address that does not parse matches no rule", () => {
    assert.deepEqual(evaluate(policy, inbound("tcp", 25, "not-an-ip")), { verdict: "deny", rule: null });
  });
});
