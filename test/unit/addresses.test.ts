import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  addressInCidr,
  cidrToInterval,
  formatAddress,
  formatCidr,
  intervalToCidrs,
  parseAddress,
  parseCidr,
} from "../../src/core/addresses";

describe("parseCidr", () => {
  test("a bare address is a host prefix", () => {
    assert.equal(formatCidr(parseCidr("10.0.5.10")!.cidr), "10.0.5.10/32");
    assert.equal(formatCidr(parseCidr("2001:db8::1")!.cidr), "2001:db8::1/128");
  });
  test("host bits are cleared and reported", () => {
    const p = parseCidr("10.0.0.1/8")!;
    assert.equal(formatCidr(p.cidr), "10.0.0.0/8");
    assert.equal(p.hostBits, true);
    assert.equal(parseCidr("10.0.0.0/8")!.hostBits, false);
  });
  test("rejects what is not an address", () => {
    for (const bad of [
      "10",
      "0x0a000001",
      "10.0.0.0/33",
      "::/129",
      "fe80::1%eth0",
      "300.1.1.1",
      "a.b.c.d",
      "",
      "1.2.3.4/",
      "1.2.3.4/-1",
    ]) {
      assert.equal(parseCidr(bad), undefined, bad);
    }
  });
});

describe("formatAddress prints what inet_ntop (and so iptables-save) prints", () => {
  const cases: [string, string][] = [
    ["2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"],
    ["2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1"],
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
    ["2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"],
    ["::", "::"],
    ["::1", "::1"],
    ["1::", "1::"],
    ["::ffff:192.0.2.1", "::ffff:192.0.2.1"],
  ];
  for (const [input, expected] of cases) {
    test(`${input} -> ${expected}`, () => {
      const a = parseAddress(input)!;
      assert.equal(formatAddress(a.family, a.value), expected);
    });
  }
});

describe("intervalToCidrs", () => {
  test("splits a range into the fewest aligned prefixes", () => {
    const lo = parseAddress("10.0.0.1")!.value;
    const hi = parseAddress("10.0.0.6")!.value;
    assert.deepEqual(intervalToCidrs(4, lo, hi).map(formatCidr), [
      "10.0.0.1/32",
      "10.0.0.2/31",
      "10.0.0.4/31",
      "10.0.0.6/32",
    ]);
  });
  test("the whole space is one /0", () => {
    assert.deepEqual(intervalToCidrs(6, 0n, (1n << 128n) - 1n).map(formatCidr), ["::/0"]);
  });
  test("covers exactly the interval (property)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }), fc.bigInt({ min: 0n, max: 4096n }), (lo, len) => {
        const hi = lo + len > (1n << 32n) - 1n ? (1n << 32n) - 1n : lo + len;
        const cidrs = intervalToCidrs(4, lo, hi);
        let next = lo;
        for (const c of cidrs) {
          const iv = cidrToInterval(c);
          assert.equal(iv.lo, next);
          next = iv.hi + 1n;
        }
        assert.equal(next, hi + 1n);
      }),
    );
  });
});

test("addressInCidr respects the family and the bounds", () => {
  const office = parseCidr("203.0.113.0/24")!.cidr;
  assert.equal(addressInCidr("203.0.113.255", office), true);
  assert.equal(addressInCidr("203.0.114.0", office), false);
  assert.equal(addressInCidr("::ffff:203.0.113.1", office), false);
});
