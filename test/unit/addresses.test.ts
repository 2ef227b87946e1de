import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import ipaddr from "ipaddr.js";
import {
  addressInCidr,
  cidrSize,
  cidrToInterval,
  formatAddress,
  formatCidr,
  intervalToBits,
  intervalToCidrs,
  intervalToPrefixes,
  parseAddress,
  parseCidr,
  parseIPv4,
  parsePlainIPv6,
  prefixBits,
  prefixOf,
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
  test("IPv4 networks in Numbers match the BigInt arithmetic, and a text reads the same twice", () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.option(fc.integer({ min: 0, max: 34 })), (address, prefix) => {
        const text = prefix === null ? address : `${address}/${prefix}`;
        const got = parseCidr(text);
        assert.equal(parseCidr(text), got, "one shared result per text");
        const value = parseAddress(address)!.value;
        const bits = prefix ?? 32;
        if (bits > 32) return assert.equal(got, undefined);
        const mask = ((1n << 32n) - 1n) ^ ((1n << BigInt(32 - bits)) - 1n);
        assert.deepEqual(got, {
          cidr: { family: 4, address: formatAddress(4, value & mask), prefix: bits },
          hostBits: (value & mask) !== value,
        });
      }),
      { numRuns: 2000, seed: 11 },
    );
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

describe("fast parsers agree with ipaddr.js", () => {
  // Near-misses as well as addresses: leading zeros, big parts, hex, spaces, too few or many parts.
  const v4Part = fc.oneof(
    fc.nat(255).map(String),
    fc.nat(999).map(String),
    fc.constantFrom("0", "00", "01", "010", "256", "0x1", "", " 1", "1 ", "+1", "-1", "1e2", "99999999999"),
  );
  const v4Text = fc.oneof(
    fc.array(v4Part, { minLength: 1, maxLength: 5 }).map((parts) => parts.join(".")),
    fc.string({ maxLength: 16 }),
  );
  test("parseIPv4 accepts exactly what IPv4.isValidFourPartDecimal does, with the same value", () => {
    fc.assert(
      fc.property(v4Text, (text) => {
        const fast = parseIPv4(text);
        if (!ipaddr.IPv4.isValidFourPartDecimal(text)) {
          assert.equal(fast, undefined, text);
          return;
        }
        const bytes = ipaddr.IPv4.parse(text).toByteArray();
        assert.equal(fast, ((bytes[0] * 256 + bytes[1]) * 256 + bytes[2]) * 256 + bytes[3], text);
      }),
      { numRuns: 5000 },
    );
  });

  const group = fc.oneof(
    fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16)),
    fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16).toUpperCase().padStart(4, "0")),
    fc.constantFrom("", "00000", "fffff", "g", "1.2.3.4", "%eth0", " 1"),
  );
  const v6Text = fc.oneof(
    fc.array(group, { minLength: 1, maxLength: 9 }).map((groups) => groups.join(":")),
    fc
      .tuple(fc.array(group, { maxLength: 8 }), fc.array(group, { maxLength: 8 }))
      .map(([left, right]) => `${left.join(":")}::${right.join(":")}`),
  );
  test("parsePlainIPv6 gives an answer only where ipaddr.js gives the same one", () => {
    fc.assert(
      fc.property(v6Text, (text) => {
        const fast = parsePlainIPv6(text);
        if (fast === undefined) return;
        assert.ok(ipaddr.IPv6.isValid(text), text);
        const bytes = ipaddr.IPv6.parse(text).toByteArray();
        assert.equal(fast, BigInt(`0x${bytes.map((b) => b.toString(16).padStart(2, "0")).join("")}`), text);
      }),
      { numRuns: 5000 },
    );
  });
  test("parsePlainIPv6 reads the plain forms policies use", () => {
    for (const text of ["::", "::1", "1::", "2001:db8::", "2001:DB8:0:0:0:0:0:1", "1:2:3:4:5:6:7::", "fe80::1:2"]) {
      assert.notEqual(parsePlainIPv6(text), undefined, text);
    }
    assert.equal(parseAddress("::ffff:192.0.2.1")?.family, 6);
  });
});

describe("prefix bits", () => {
  const arbCidr = fc.oneof(
    fc.tuple(fc.nat(2 ** 32 - 1), fc.nat(32)).map(([v, p]) => parseCidr(`${formatAddress(4, BigInt(v))}/${p}`)!.cidr),
    fc
      .tuple(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.nat(128))
      .map(([v, p]) => parseCidr(`${formatAddress(6, v)}/${p}`)!.cidr),
  );
  test("a prefix's bits are the first bits of its interval, and its interval is the prefix's", () => {
    fc.assert(
      fc.property(arbCidr, (cidr) => {
        const p = prefixOf(cidr);
        const width = cidr.family === 4 ? 32 : 128;
        assert.equal(p.bits, p.lo.toString(2).padStart(width, "0").slice(0, cidr.prefix));
        assert.equal(p.hi - p.lo + 1n, cidrSize(cidr));
        assert.equal(p.lo % cidrSize(cidr), 0n);
        assert.equal(prefixOf(cidr), p);
      }),
    );
  });
  test("intervalToBits names the same prefixes as intervalToPrefixes", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(4 as const, 6 as const),
        fc.bigInt({ min: 0n, max: (1n << 32n) - 1n }),
        fc.bigInt({ min: 0n, max: 1n << 20n }),
        (family, lo, len) => {
          const max = (1n << (family === 4 ? 32n : 128n)) - 1n;
          const hi = lo + len > max ? max : lo + len;
          assert.deepEqual(
            intervalToBits(family, lo, hi),
            intervalToPrefixes(family, lo, hi).map(([start, prefix]) => prefixBits(family, start, prefix)),
          );
        },
      ),
    );
    assert.deepEqual(intervalToBits(4, 0n, (1n << 32n) - 1n), [""]);
  });
});
