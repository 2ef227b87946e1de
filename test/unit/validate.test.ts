import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { DiagnosticCode, PolicyDiagnostic } from "../../src/core/diagnostics";
import type { Lang } from "../../src/core/model";
import { parsePolicy } from "../../src/core/parse";
import { validatePolicy } from "../../src/core/validate";
import { sliceOf, withRanges } from "../support/cursor";

const TODAY = "2026-06-01";

/** A policy with an ssh rule (so no lock-out warning) and the given inbound rules. */
function inbound(rules: string, extra = ""): string {
  return `mailpolicy: 1
sources:
  office: [203.0.113.0/24, 2001:db8:10::/48]
inbound:
  default: drop
  rules:
    - allow: ssh
      from: office
${rules}${extra}`;
}

function outbound(rules: string, targets: string): string {
  return inbound("", `outbound:\n  rules:\n${rules}targets:\n${targets}`);
}

function check(text: string, lang: Lang = "en"): PolicyDiagnostic[] {
  const parsed = parsePolicy(text, lang);
  assert.deepEqual(
    parsed.diagnostics.filter((d) => d.severity === "error"),
    [],
    "the test policy parses",
  );
  return validatePolicy(parsed.policy, { lang, today: TODAY });
}

/** Exactly one `code`, on the «marked» text; returns it. */
function expectAt(marked: string, code: DiagnosticCode, suggestion?: string): PolicyDiagnostic {
  const { text, ranges } = withRanges(marked);
  const hits = check(text).filter((d) => d.code === code);
  assert.equal(hits.length, 1, `one ${code}, got ${hits.length}`);
  assert.equal(sliceOf(text, hits[0].range), sliceOf(text, ranges[0]));
  assert.deepEqual(hits[0].range, ranges[0]);
  if (suggestion !== undefined) assert.equal(hits[0].suggestion, suggestion);
  return hits[0];
}

function expectNone(text: string, code: DiagnosticCode): void {
  assert.deepEqual(
    check(text).filter((d) => d.code === code),
    [],
  );
}

describe("port.protocol-mismatch", () => {
  test("514/tcp is rsh, not syslog", () => {
    const d = expectAt(inbound("    - allow: «514/tcp»\n      from: office\n"), "port.protocol-mismatch", "514/udp");
    assert.match(d.message, /shell/);
    assert.deepEqual(d.rule, { direction: "inbound", index: 1 });
  });
  test("993/udp is not imaps", () =>
    void expectAt(inbound("    - allow: «993/udp»\n      from: office\n"), "port.protocol-mismatch", "993/tcp"));
  test("a bare number takes tcp, which ntp does not use", () =>
    void expectAt(inbound("    - allow: «123»\n      from: office\n"), "port.protocol-mismatch", "123/udp"));
  test("a service name with the wrong transport", () =>
    void expectAt(inbound("    - allow: «syslog/tcp»\n      from: office\n"), "port.protocol-mismatch", "syslog"));
  test("the right transport, or a port the catalog does not know, is fine", () =>
    expectNone(
      inbound("    - allow: [514/udp, 993/tcp, 123/udp, syslog, dns/udp, 9100/tcp, 40000/udp]\n      from: office\n"),
      "port.protocol-mismatch",
    ));
});

describe("security.plaintext-access", () => {
  test("a number gets its TLS twin as a number", () =>
    void expectAt(inbound("    - allow: «110»\n      from: office\n"), "security.plaintext-access", "995"));
  test("a name gets its TLS twin as a name", () => {
    const d = expectAt(inbound("    - allow: «pop3»\n      from: office\n"), "security.plaintext-access", "pop3s");
    assert.match(d.message, /RFC 8314/);
  });
  test("number/transport keeps its form", () =>
    void expectAt(inbound("    - allow: «143/tcp»\n      from: office\n"), "security.plaintext-access", "993/tcp"));
  test("denying it, allowing it outbound, or on udp is fine", () => {
    expectNone(
      inbound("    - deny: [110, imap]\n      from: any\n    - allow: [995, imaps, 143/udp]\n      from: any\n"),
      "security.plaintext-access",
    );
    expectNone(outbound("    - allow: imap\n      to: any\n", "  iptables:\n"), "security.plaintext-access");
  });
});

describe("security.plaintext-http", () => {
  test("80 without 443", () =>
    void expectAt(inbound("    - allow: «http»\n      from: any\n"), "security.plaintext-http"));
  test("80 with 443", () =>
    expectNone(inbound("    - allow: [http, https]\n      from: any\n"), "security.plaintext-http"));
});

describe("security.admin-exposed", () => {
  test("sits on the peer that opens an admin port to everyone", () => {
    const d = expectAt(inbound("    - allow: sieve\n      from: [office, «any»]\n"), "security.admin-exposed");
    assert.match(d.message, /sieve/);
    expectAt(inbound("    - allow: 22\n      from: «0.0.0.0/0»\n"), "security.admin-exposed");
  });
  test("an admin port from a named source, or a mail port from any, is fine", () =>
    expectNone(
      inbound("    - allow: [sieve, node-exporter]\n      from: office\n    - allow: smtp\n      from: any\n"),
      "security.admin-exposed",
    ));
});

describe("security.default-accept and security.lockout", () => {
  test("inbound default accept warns on the value", () =>
    void expectAt("mailpolicy: 1\ninbound:\n  default: «accept»\n", "security.default-accept"));
  test("drop with no ssh rule warns of a lock-out", () =>
    void expectAt(
      "mailpolicy: 1\ninbound:\n  default: «reject»\n  rules:\n    - allow: smtp\n      from: any\n",
      "security.lockout",
    ));
  test("drop with an ssh rule, or accept, does not warn of a lock-out", () => {
    expectNone(inbound(""), "security.lockout");
    expectNone("mailpolicy: 1\ninbound:\n  default: accept\n", "security.lockout");
    expectNone(inbound(""), "security.default-accept");
  });
});

describe("security.outbound-smtp-blocked", () => {
  test("outbound 25 with a cloud target suggests 465", () => {
    expectAt(
      outbound("    - allow: «smtp»\n      to: any\n", "  aws:\n"),
      "security.outbound-smtp-blocked",
      "submissions",
    );
    expectAt(
      outbound("    - allow: «25/tcp»\n      to: any\n", "  aliyun:\n"),
      "security.outbound-smtp-blocked",
      "465/tcp",
    );
  });
  test("outbound 25 for bare iptables, or 465 to a cloud, is fine", () => {
    expectNone(outbound("    - allow: smtp\n      to: any\n", "  iptables:\n"), "security.outbound-smtp-blocked");
    expectNone(outbound("    - allow: submissions\n      to: any\n", "  aws:\n"), "security.outbound-smtp-blocked");
  });
});

describe("rule.duplicate and rule.shadowed", () => {
  test("the same match as one earlier rule is a duplicate, even when written differently", () => {
    const d = expectAt(
      inbound("    - allow: smtp\n      from: any\n    - «deny: 25/tcp»\n      from: [any4, any6]\n"),
      "rule.duplicate",
    );
    assert.deepEqual(d.rule, { direction: "inbound", index: 2 });
  });
  test("covered by the union of earlier rules is shadowed", () =>
    void expectAt(
      inbound(
        "    - allow: 25\n      from: any4\n    - allow: 25\n      from: any6\n    - «deny: smtp»\n      from: any\n",
      ),
      "rule.shadowed",
    ));
  test("a rule that still matches something is neither", () => {
    const text = inbound(
      "    - allow: 25\n      from: any4\n    - deny: smtp\n      from: any\n    - allow: smtp\n      from: office\n",
    );
    const found = check(text).filter((d) => d.code === "rule.shadowed" || d.code === "rule.duplicate");
    assert.deepEqual(
      found.map((d) => [d.code, d.rule?.index]),
      [["rule.shadowed", 3]],
    );
    expectNone(inbound("    - allow: smtp\n      from: any4\n    - deny: smtp\n      from: any\n"), "rule.shadowed");
  });
  test("directions are checked apart", () =>
    expectNone(
      inbound("    - allow: smtp\n      from: any\n", "outbound:\n  rules:\n    - allow: smtp\n      to: any\n"),
      "rule.duplicate",
    ));
});

describe("rule.expired", () => {
  test("a date before today", () => {
    const d = expectAt(inbound("    - allow: smtp\n      from: any\n      expires: «2026-05-31»\n"), "rule.expired");
    assert.deepEqual(d.rule, { direction: "inbound", index: 1 });
  });
  test("today or later", () =>
    expectNone(inbound("    - allow: smtp\n      from: any\n      expires: 2026-06-01\n"), "rule.expired"));
});

describe("messages", () => {
  test("every semantic check speaks Simplified Chinese", () => {
    const text = inbound(
      "    - allow: [514/tcp, 110, http, sieve]\n      from: any\n      expires: 2020-01-01\n    - allow: 110\n      from: any\n",
      "outbound:\n  rules:\n    - allow: smtp\n      to: any\ntargets:\n  aws:\n",
    );
    const zh = check(text, "zh-cn");
    assert.ok(zh.length >= 7);
    for (const d of zh) assert.match(d.message, /[\u4e00-\u9fff]/, d.code);
  });
});
