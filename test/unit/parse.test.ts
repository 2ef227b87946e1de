import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import fc from "fast-check";
import type { DiagnosticCode } from "../../src/core/diagnostics";
import type { Lang } from "../../src/core/model";
import { parsePolicy } from "../../src/core/parse";
import { parsePortSpec } from "../../src/core/ports";
import { editDistance, nearestName } from "../../src/core/suggest";
import { MAX_NESTING } from "../../src/core/yaml-reader";
import { sliceOf, withCursor, withRanges } from "../support/cursor";

const example = readFileSync(new URL("../../examples/mx1.mailpolicy.yaml", import.meta.url), "utf8");

/** Parses a text with one `«marked»` node and asserts exactly `code` there (and the suggestion, if given). */
function expectAt(marked: string, code: DiagnosticCode, suggestion?: string, lang: Lang = "en") {
  const { text, ranges } = withRanges(marked);
  const { diagnostics } = parsePolicy(text, lang);
  const hits = diagnostics.filter((d) => d.code === code);
  assert.equal(hits.length, 1, `one ${code} in ${JSON.stringify(diagnostics.map((d) => d.code))}`);
  assert.equal(sliceOf(text, hits[0].range), sliceOf(text, ranges[0]));
  assert.deepEqual(hits[0].range, ranges[0]);
  if (suggestion !== undefined) {
    assert.equal(hits[0].suggestion, suggestion);
    assert.match(hits[0].message, new RegExp(`\`${suggestion.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}\``));
  }
  return hits[0];
}

function codes(text: string): string[] {
  return parsePolicy(text).diagnostics.map((d) => d.code);
}

const rule = (body: string) => `mailpolicy: 1\nsources:\n  office: 203.0.113.0/24\ninbound:\n  rules:\n${body}`;

describe("parsePolicy: the spec example", () => {
  const { policy, diagnostics } = parsePolicy(example);

  test("parses without diagnostics", () => assert.deepEqual(diagnostics, []));

  test("reads sources as canonical prefixes, a bare address as a host", () => {
    assert.deepEqual(
      policy.sources.get("office")?.cidrs.map((c) => `${c.address}/${c.prefix}`),
      ["203.0.113.0/24", "2001:db8:10::/48"],
    );
    assert.deepEqual(policy.sources.get("monitoring")?.cidrs, [{ family: 4, address: "10.0.5.10", prefix: 32 }]);
  });

  test("numbers rules within each direction from 0 and keeps their order", () => {
    assert.deepEqual(
      policy.inbound.rules.map((r) => [r.index, r.action]),
      [0, 1, 2, 3, 4, 5].map((i) => [i, i === 5 ? "deny" : "allow"]),
    );
    assert.equal(policy.outbound.rules[0].index, 0);
    assert.equal(policy.outbound.rules[0].direction, "outbound");
  });

  test("resolves service names through the catalog and keeps the text as written", () => {
    const ports = policy.inbound.rules[1].ports;
    assert.deepEqual(
      ports.map((p) => [p.text, p.service, p.protocol, p.from]),
      [
        ["submissions", "submissions", "tcp", 465],
        ["submission", "submission", "tcp", 587],
        ["imaps", "imaps", "tcp", 993],
        ["pop3s", "pop3s", "tcp", 995],
      ],
    );
    for (const p of ports) assert.equal(sliceOf(example, p.range), p.text);
  });

  test("reads note, acknowledge and the action range", () => {
    const pop3 = policy.inbound.rules[2];
    assert.equal(pop3.note, "legacy scanner, remove by 2027");
    assert.deepEqual(pop3.acknowledge, ["security.plaintext-access"]);
    assert.equal(sliceOf(example, pop3.actionRange), "allow: pop3");
  });

  test("reads every target", () => {
    assert.deepEqual(
      { ...policy.targets.iptables, range: undefined },
      { ipv6: true, baseline: true, forward: "drop", range: undefined },
    );
    assert.equal(policy.targets.aliyun?.regionId, "cn-hangzhou");
    assert.equal(policy.targets.aliyun?.priority, 1);
    assert.equal(policy.targets.aws?.groupId, "sg-0123456789abcdef0");
  });
});

describe("parsePolicy: defaults", () => {
  test("inbound drops and outbound accepts when they are absent", () => {
    const { policy, diagnostics } = parsePolicy("mailpolicy: 1\n");
    assert.deepEqual(diagnostics, []);
    assert.equal(policy.inbound.default, "drop");
    assert.equal(policy.outbound.default, "accept");
    assert.deepEqual(policy.targets, {});
  });

  test("an empty `iptables:` is valid; ipv6 follows whether any rule uses an IPv6 prefix", () => {
    const v4 = parsePolicy(
      "mailpolicy: 1\ninbound:\n  rules:\n    - allow: smtp\n      from: any4\ntargets:\n  iptables:\n",
    );
    assert.deepEqual(v4.diagnostics, []);
    assert.equal(v4.policy.targets.iptables?.ipv6, false);
    assert.equal(v4.policy.targets.iptables?.baseline, true);
    assert.equal(v4.policy.targets.iptables?.forward, "drop");
    const v6 = parsePolicy(
      "mailpolicy: 1\ninbound:\n  rules:\n    - allow: smtp\n      from: any\ntargets:\n  iptables:\n",
    );
    assert.equal(v6.policy.targets.iptables?.ipv6, true);
    const off = parsePolicy(
      "mailpolicy: 1\ninbound:\n  rules:\n    - allow: smtp\n      from: any\ntargets:\n  iptables: {ipv6: false}\n",
    );
    assert.equal(off.policy.targets.iptables?.ipv6, false);
  });

  test("a name with two transports gives one PortSpec per transport", () => {
    const { policy } = parsePolicy(rule("    - allow: dns\n      from: office\n"));
    assert.deepEqual(
      policy.inbound.rules[0].ports.map((p) => p.protocol),
      ["udp", "tcp"],
    );
  });

  test("numbers keep the form they were written in", () => {
    const { policy } = parsePolicy(rule("    - allow: [025, 6000-6010/udp, 993/TCP]\n      from: office\n"));
    assert.deepEqual(
      policy.inbound.rules[0].ports.map((p) => [p.text, p.protocol, p.from, p.to]),
      [
        ["025", "tcp", 25, 25],
        ["6000-6010/udp", "udp", 6000, 6010],
        ["993/TCP", "tcp", 993, 993],
      ],
    );
  });

  test("aliases resolve to the anchored value", () => {
    const { policy, diagnostics } = parsePolicy(
      "mailpolicy: 1\nsources:\n  office: &net 203.0.113.0/24\ninbound:\n  rules:\n    - allow: ssh\n      from: *net\n",
    );
    assert.deepEqual(diagnostics, []);
    assert.equal(policy.inbound.rules[0].peers[0].cidrs[0].address, "203.0.113.0");
  });
});

describe("parsePolicy: yaml.syntax", () => {
  test("an unclosed flow list", () => {
    const text = "mailpolicy: 1\ninbound: [smtp\n";
    const d = parsePolicy(text).diagnostics.find((x) => x.code === "yaml.syntax");
    assert.ok(d);
    assert.ok(d.range.start >= text.indexOf("["), "points into the list, not at the top");
  });
  test("a second document", () => {
    const text = "mailpolicy: 1\n---\nmailpolicy: 1\n";
    const d = parsePolicy(text).diagnostics.find((x) => x.code === "yaml.syntax");
    assert.ok(d);
    assert.ok(sliceOf(text, d.range).startsWith("---"));
  });
  test("an alias bomb is refused with yaml's alias budget", () => {
    const lines = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 10; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(", ")}]`);
    }
    const text = lines.join("\n");
    const { policy, diagnostics } = parsePolicy(text);
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ["yaml.syntax"],
    );
    assert.equal(sliceOf(text, diagnostics[0].range), "*a");
    assert.equal(policy.inbound.rules.length, 0);
  });
  test("nesting deeper than the limit is refused before YAML sees it; within it is parsed", () => {
    const deep = parsePolicy("[".repeat(MAX_NESTING + 1)).diagnostics;
    assert.match(deep[0].message, /too deep/);
    const fine = parsePolicy(`mailpolicy: 1\nx: ${"[".repeat(MAX_NESTING - 1)}${"]".repeat(MAX_NESTING - 1)}\n`);
    assert.deepEqual(
      fine.diagnostics.map((d) => d.code),
      ["schema.unknown-key"],
    );
  });
  test("deep nesting cannot hide behind a quote or a comment, nor in block form", () => {
    for (const text of [
      `note: a 'b\n${"[".repeat(2000)}`,
      `# ' [[[\nx: ${"{a: ".repeat(2000)}`,
      "- ".repeat(2000),
      Array.from({ length: 500 }, (_, i) => `${" ".repeat(i)}k:`).join("\n"),
    ]) {
      const { diagnostics } = parsePolicy(text);
      assert.ok(
        diagnostics.some((d) => d.code === "yaml.syntax" && /too deep/.test(d.message)),
        text.slice(0, 20),
      );
    }
  });
  test("a clean file has none", () => assert.ok(!codes(example).includes("yaml.syntax")));
});

describe("parsePolicy: schema", () => {
  test("unknown top-level key, with the nearest valid one", () => {
    expectAt("mailpolicy: 1\n«nmae»: mx1\n", "schema.unknown-key", "name");
    assert.deepEqual(codes("mailpolicy: 1\nname: mx1\n"), []);
  });
  test("`to` in an inbound rule suggests `from`; `form` in an outbound rule suggests `to`", () => {
    expectAt(rule("    - allow: smtp\n      from: any\n      «to»: any\n"), "schema.unknown-key", "from");
    expectAt("mailpolicy: 1\noutbound:\n  rules:\n    - allow: smtp\n      «form»: any\n", "schema.unknown-key", "to");
    assert.ok(!codes("mailpolicy: 1\noutbound:\n  rules:\n    - allow: smtp\n      to: any\n").length);
  });
  test("a key with nothing near it lists the valid keys", () => {
    const d = expectAt("mailpolicy: 1\n«zzzzzzzzzzz»: 1\n", "schema.unknown-key");
    assert.equal(d.suggestion, undefined);
    assert.match(d.message, /mailpolicy, name, sources/);
  });
  test("wrong types", () => {
    expectAt("mailpolicy: 1\ninbound: «[a, b]»\n", "schema.type");
    expectAt("mailpolicy: 1\ninbound:\n  default: «deny»\n", "schema.type", "drop");
    expectAt(rule("    - allow: «{a: 1}»\n      from: any\n"), "schema.type");
    expectAt(rule("    - allow: smtp\n      from: any\n      expires: «2026-02-30»\n"), "schema.type");
    expectAt(
      rule("    - allow: smtp\n      from: any\n      acknowledge: [«security.plaintext»]\n"),
      "schema.type",
      "security.plaintext-access",
    );
    expectAt("mailpolicy: 1\ntargets:\n  iptables:\n    ipv6: «yes»\n", "schema.type");
    expectAt("mailpolicy: 1\ntargets:\n  aliyun:\n    priority: «101»\n", "schema.type");
    expectAt("mailpolicy: 1\ntargets:\n  iptables:\n    forward: «dorp»\n", "schema.type", "drop");
    expectAt(rule("    - allow: smtp\n      «deny»: 25\n      from: any\n"), "schema.type");
    expectAt(rule("    - allow: «25/sctp»\n      from: any\n"), "schema.type");
    expectAt("mailpolicy: 1\nsources:\n  «any»: 10.0.0.0/8\n", "schema.type");
  });
  test("well-typed values of the same keys are accepted", () => {
    const text = rule(
      "    - allow: smtp\n      from: any\n      expires: 2026-02-28\n      acknowledge: [security.plaintext-access]\n",
    );
    assert.deepEqual(codes(text), []);
    assert.deepEqual(
      codes("mailpolicy: 1\ntargets:\n  aliyun:\n    priority: 100\n  iptables:\n    forward: accept\n"),
      [],
    );
  });
  test("required: the version, an action, the peer", () => {
    expectAt("«name: x»\n", "schema.required");
    expectAt(rule("    - «from: any»\n      note: no action\n"), "schema.required");
    expectAt(rule("    - «allow: smtp»\n"), "schema.required");
    expectAt("«»", "schema.required");
  });
  test("version must be 1", () => {
    assert.equal(expectAt("mailpolicy: «2»\n", "schema.version").suggestion, "1");
    expectAt('mailpolicy: «"1"»\n', "schema.version");
    assert.deepEqual(codes("mailpolicy: 1\n"), []);
  });
});

describe("parsePolicy: ports", () => {
  test("unknown service, with the nearest name", () => {
    expectAt(rule("    - allow: [smtp, «imapz»]\n      from: any\n"), "port.unknown-service", "imaps");
    expectAt(rule("    - allow: «submision»\n      from: any\n"), "port.unknown-service", "submission");
    assert.deepEqual(codes(rule("    - allow: [imaps, submission, smtps, node-exporter]\n      from: any\n")), []);
  });
  test("range: outside 1..65535 and backwards", () => {
    expectAt(rule("    - allow: «0»\n      from: any\n"), "port.range");
    expectAt(rule("    - allow: «65536/udp»\n      from: any\n"), "port.range");
    expectAt(rule("    - allow: «20-10/udp»\n      from: any\n"), "port.range", "10-20/udp");
    assert.deepEqual(codes(rule("    - allow: [1, 65535/udp, 10-20/udp]\n      from: office\n")), []);
  });
  test("parsePortSpec keeps one spec per transport and the range it was given", () => {
    const r = { start: 3, end: 7 };
    assert.deepEqual(parsePortSpec("9100", r, "en").specs, [
      { text: "9100", protocol: "tcp", from: 9100, to: 9100, range: r },
    ]);
  });
});

describe("parsePolicy: addresses", () => {
  test("undefined source, with the nearest name", () => {
    expectAt(rule("    - allow: ssh\n      from: «ofice»\n"), "source.undefined", "office");
    expectAt(rule("    - allow: ssh\n      from: [office, «mail.example.com»]\n"), "source.undefined");
    assert.deepEqual(codes(rule("    - allow: ssh\n      from: [office, any6, 198.51.100.7]\n")), []);
  });
  test("invalid literal", () => {
    expectAt(rule("    - allow: ssh\n      from: «300.1.1.1»\n"), "source.invalid");
    expectAt("mailpolicy: 1\nsources:\n  lab: [10.0.0.0/8, «10.0.0.0/33»]\n", "source.invalid");
  });
  test("host bits suggest the network address", () => {
    expectAt("mailpolicy: 1\nsources:\n  lab: «10.0.0.1/8»\n", "source.host-bits", "10.0.0.0/8");
    expectAt(rule("    - allow: ssh\n      from: «2001:db8::1/32»\n"), "source.host-bits", "2001:db8::/32");
    assert.deepEqual(codes("mailpolicy: 1\nsources:\n  lab: [10.0.0.0/8, 10.0.0.1, 2001:db8::1]\n"), []);
  });
  test("built-ins resolve to both families, one family, or the other", () => {
    const { policy } = parsePolicy(rule("    - allow: smtp\n      from: [any, any4, any6]\n"));
    assert.deepEqual(
      policy.inbound.rules[0].peers.map((p) => p.cidrs.map((c) => c.family)),
      [[4, 6], [4], [6]],
    );
  });
});

describe("messages", () => {
  test("every parse diagnostic speaks Simplified Chinese", () => {
    const text = [
      "mailpolicy: 2",
      "nmae: x",
      "sources:",
      "  lab: [10.0.0.1/8, 300.1.1.1]",
      "inbound:",
      "  default: deny",
      "  rules:",
      "    - allow: [imapz, 0, 25/sctp]",
      "      from: [ofice]",
      "      to: any",
      "      expires: soon",
      "    - from: any",
      "targets:",
      "  aliyun: {priority: 0}",
      "",
    ].join("\n");
    const zh = parsePolicy(text, "zh-cn").diagnostics;
    assert.ok(new Set(zh.map((d) => d.code)).size >= 9);
    for (const d of zh) assert.match(d.message, /[\u4e00-\u9fff]/, d.code);
  });
  test("exist in Simplified Chinese", () => {
    const en = parsePolicy("mailpolicy: 1\nnmae: x\n", "en").diagnostics[0].message;
    const zh = parsePolicy("mailpolicy: 1\nnmae: x\n", "zh-cn").diagnostics[0].message;
    assert.notEqual(en, zh);
    assert.match(zh, /[\u4e00-\u9fff]/);
  });
});

describe("suggest", () => {
  test("Damerau-Levenshtein counts an adjacent swap as one edit", () => {
    assert.equal(editDistance("form", "from"), 1);
    assert.equal(editDistance("imapz", "imaps"), 1);
    assert.equal(editDistance("abc", "xyz", 1), 2);
  });
  test("nearestName prefers a same-length typo and gives up past its budget", () => {
    assert.equal(nearestName("imapz", ["imap", "imaps"]), "imaps");
    assert.equal(nearestName("pop3", ["ssh", "lmtp"]), undefined);
  });
  test("the cursor marker helper", () => {
    assert.deepEqual(withCursor("allow: im|aps"), { text: "allow: imaps", offset: 9 });
  });
});

describe("parsePolicy never throws", () => {
  test("on random strings", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (s) => {
        const r = parsePolicy(s);
        assert.ok(r.policy && Array.isArray(r.diagnostics));
      }),
      { numRuns: 300 },
    );
  });
  test("on YAML-ish text built from policy fragments", () => {
    const piece = fc.constantFrom(
      "mailpolicy: 1\n",
      "inbound:\n",
      "  rules:\n",
      "    - allow: ",
      "smtp",
      "[imaps, 993/udp]",
      "      from: ",
      "any",
      "office",
      "10.0.0.1/8",
      "\n",
      "  ",
      "- ",
      ": ",
      "[",
      "]",
      "{",
      "}",
      "&a ",
      "*a",
      "'",
      '"',
      "#",
      "---\n",
      "sources:\n  office: ",
      "targets:\n  iptables:\n",
      "\t",
      "? ",
      "!!str ",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (parts) => {
        const text = parts.join("");
        const r = parsePolicy(text);
        for (const d of r.diagnostics) {
          assert.ok(
            d.range.start >= 0 && d.range.start <= d.range.end && d.range.end <= text.length,
            JSON.stringify(d),
          );
        }
      }),
      { numRuns: 400 },
    );
  });
});
