import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { CATALOG, lookupService, NOTABLE_PORTS } from "../../src/core/catalog";
import {
  describeEntry,
  describeNotable,
  explainPort,
  parsePortQuery,
  TLS_MODE_LABELS,
  tlsModeLabel,
} from "../../src/core/explain";
import type { Lang } from "../../src/core/model";

const LANGS: readonly Lang[] = ["en", "zh-cn"];
const CJK = /[\u4e00-\u9fff]/;

function explain(query: string, lang: Lang = "en"): string {
  const doc = explainPort(query, lang);
  assert.ok(doc !== undefined, `explainPort(${JSON.stringify(query)}) gives documentation`);
  return doc;
}

/** Sentences (and clauses after `;`) so a claim can be checked with its own context. */
function sentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+|[;；。\n]/).filter((s) => s.trim() !== "");
}

/** Every text a user can see from the catalog, in both languages. */
function everyDoc(): string[] {
  const docs: string[] = [];
  for (const lang of LANGS) {
    for (const e of CATALOG) docs.push(describeEntry(e, lang));
    for (const n of NOTABLE_PORTS) docs.push(describeNotable(n, lang));
    for (const label of Object.values(TLS_MODE_LABELS)) docs.push(label[lang]);
  }
  return docs;
}

test("995 is explained as POP3 over TLS, and IMAP is mentioned only to say it is not", () => {
  for (const lang of LANGS) {
    const doc = explain("995", lang);
    assert.match(doc, /POP3/);
    assert.match(doc, /`pop3s` 995\/tcp/);
    for (const s of sentences(doc).filter((x) => /imap/i.test(x))) {
      assert.match(s, /\bnot\b|993|不是/, `995 doc mentions IMAP only as a correction: ${s}`);
    }
  }
  assert.match(explain("pop3s"), /POP3 over implicit TLS/);
});

test("no text recommends SSL 3.0: any mention of SSLv3 says it is prohibited", () => {
  const sslv3 = /SSL\s*v?3|SSL\s*3\.0/i;
  for (const doc of everyDoc()) {
    for (const s of sentences(doc).filter((x) => sslv3.test(x))) {
      assert.match(s, /prohibit|禁止/, `SSLv3 only as a prohibition: ${s}`);
    }
  }
});

test("TLS ports advise TLS 1.2 or later", () => {
  for (const q of ["465", "587", "993", "995"]) {
    assert.match(explain(q, "en"), /TLS 1\.2 or later/, q);
    assert.match(explain(q, "zh-cn"), /TLS 1\.2 及以上/, q);
  }
});

test("587 is STARTTLS submission, reached by a client through OUTPUT --dport", () => {
  for (const lang of LANGS) {
    const doc = explain("587", lang);
    assert.match(doc, /STARTTLS/);
    assert.match(doc, /RFC 6409/);
    assert.match(doc, /-A OUTPUT -p tcp -m tcp --dport 587/);
  }
  assert.equal(lookupService("submission")?.tls, "starttls");
});

test("465 is implicit TLS under RFC 8314, and smtps explains the same entry", () => {
  for (const lang of LANGS) {
    const doc = explain("465/tcp", lang);
    assert.match(doc, /RFC 8314/);
    assert.ok(doc.includes(tlsModeLabel("implicit-tls", lang)));
    assert.equal(explain("smtps", lang), explain("submissions", lang));
  }
  assert.match(explain("465"), /implicit TLS/);
});

test("514/tcp is explained as rsh (IANA shell), never as syslog", () => {
  for (const lang of LANGS) {
    const doc = explain("514/tcp", lang);
    assert.match(doc, /^### 514\/tcp\n/);
    assert.match(doc, /`shell`/);
    assert.match(doc, /rsh/);
    assert.doesNotMatch(doc, /`syslog` 514/);
    for (const s of sentences(doc).filter((x) => /syslog/i.test(x) && !/syslog-tls/.test(x))) {
      assert.match(s, /\bnot\b|不是|udp/, `514/tcp mentions syslog only to correct: ${s}`);
    }
  }
});

test("a bare port shows every entry that applies on each transport: 514 is syslog/udp and shell/tcp", () => {
  const doc = explain("514");
  assert.match(doc, /`syslog` 514\/udp/);
  assert.match(doc, /### 514\/tcp/);
  const udp = explain("514/udp");
  assert.match(udp, /`syslog` 514\/udp/);
  assert.doesNotMatch(udp, /rsh \(remote shell/);
});

test("port 25 advice does not put MTA-to-MTA traffic under RFC 8314", () => {
  for (const lang of LANGS) {
    for (const s of sentences(explain("smtp", lang)).filter((x) => x.includes("8314"))) {
      assert.match(s, /scope|范围/, `port 25 cites RFC 8314 only to exclude it: ${s}`);
    }
  }
});

test("no text sends IMAP clients to an SMTP host", () => {
  for (const doc of everyDoc()) {
    assert.doesNotMatch(doc, /smtp\.[\w.]*aliyun\.com:993/);
    assert.doesNotMatch(doc, /IMAP4_SSL\("smtp/);
  }
});

test("https opens tcp only and its advice points at 443/udp for HTTP/3", () => {
  for (const lang of LANGS) {
    const doc = explain("https", lang);
    assert.match(doc, /443\/tcp/);
    assert.match(doc, /HTTP\/3/);
    assert.match(doc, /443\/udp/);
  }
});

test("dns is documented on both transports", () => {
  assert.match(explain("dns"), /`dns` 53\/udp, 53\/tcp/);
  assert.equal(explain("53/tcp"), explain("53/udp"));
});

test("a port on the wrong transport says so and shows the catalog entry on the other one", () => {
  for (const lang of LANGS) {
    const doc = explain("993/udp", lang);
    assert.match(doc, /^### 993\/udp/);
    assert.match(doc, lang === "en" ? /not in the catalog/ : /目录中没有/);
    assert.match(doc, /`imaps` 993\/tcp/);
  }
});

test("an unknown port in range gets a short note in both languages", () => {
  const en = explain("12345");
  assert.match(en, /12345/);
  assert.match(en, /not in the mailpolicy port catalog/);
  assert.match(en, /`12345\/tcp`/);
  const zh = explain("40000/udp", "zh-cn");
  assert.match(zh, /40000\/udp/);
  assert.match(zh, CJK);
  assert.match(zh, /`40000\/udp`/);
});

test("notable ports are explained with their IANA names", () => {
  assert.match(explain("2525"), /`ms-v-worlds`/);
  assert.match(explain("5223"), /`hpvirtgrp`/);
  assert.match(explain("5443/tcp"), /`spss`/);
  assert.match(explain("2525"), /not a catalog service/i);
});

test("queries accept case and surrounding space; garbage gives undefined", () => {
  assert.equal(explainPort(" IMAPS ", "en"), explainPort("imaps", "en"));
  assert.equal(explainPort("993/TCP", "en"), explainPort("993/tcp", "en"));
  for (const bad of ["", "abc", "0", "65536", "99999", "-1", "993/sctp", "993/", "/tcp", "imaps/tcp", "1e3", "0x3e1"]) {
    assert.equal(explainPort(bad, "en"), undefined, bad);
  }
});

test("every port 1..65535 on each transport gets documentation; out of range does not", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 65535 }), fc.constantFrom("", "/tcp", "/udp"), (port, suffix) => {
      const q = parsePortQuery(`${port}${suffix}`);
      assert.equal(q?.kind, "port");
      assert.ok(explainPort(`${port}${suffix}`, "en")?.includes(String(port)));
    }),
  );
  fc.assert(
    fc.property(fc.integer({ min: 65536, max: 99999 }), (port) => {
      assert.equal(explainPort(String(port), "en"), undefined);
    }),
  );
});

test("strings with characters outside names and port specs are never explained", () => {
  fc.assert(
    fc.property(
      fc.string().filter((s) => !/^\s*[A-Za-z0-9/-]*\s*$/.test(s)),
      (s) => explainPort(s, "zh-cn") === undefined,
    ),
  );
});

test("every entry's description shows its facts in both languages", () => {
  for (const lang of LANGS) {
    for (const e of CATALOG) {
      const doc = describeEntry(e, lang);
      assert.ok(doc.includes(e.purpose[lang]), e.key);
      assert.ok(doc.includes(e.advice[lang]), e.key);
      assert.ok(doc.includes(tlsModeLabel(e.tls, lang)), e.key);
      assert.ok(e.ianaName === null || doc.includes(`\`${e.ianaName}\``), e.key);
      for (const r of e.rfcs) assert.ok(doc.includes(r), `${e.key} ${r}`);
      if (lang === "zh-cn") assert.match(doc, /IANA 名称/);
      assert.equal(explainPort(e.key, lang), doc);
    }
  }
});

test("lmtp shows that IANA has no name for 24/tcp", () => {
  assert.match(explain("lmtp"), /IANA name: none/);
  assert.match(explain("24", "zh-cn"), /IANA 名称：无/);
});

test("RFC links are added only when asked for", () => {
  const entry = lookupService("submissions")!;
  assert.match(
    describeEntry(entry, "en", { rfcLinks: true }),
    /\[RFC 8314\]\(https:\/\/www\.rfc-editor\.org\/rfc\/rfc8314\)/,
  );
  assert.doesNotMatch(describeEntry(entry, "en"), /rfc-editor/);
});

test("TLS mode labels exist in both languages", () => {
  for (const label of Object.values(TLS_MODE_LABELS)) {
    assert.ok(label.en.length > 0);
    assert.match(label["zh-cn"], CJK);
  }
  assert.match(tlsModeLabel("starttls", "en"), /STARTTLS/);
});
