import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import {
  CATALOG,
  lookupNotable,
  lookupPort,
  lookupService,
  NOTABLE_PORTS,
  type PortEntry,
  SERVICE_NAMES,
} from "../../src/core/catalog";
import type { Protocol } from "../../src/core/model";

// The IANA registry snapshot lives beside the clone (shared/reference/), not in the repo.
const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const IANA_CSV = join(REPO_ROOT, "..", "shared", "reference", "iana-service-names-port-numbers.csv");

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and newlines. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** Non-empty IANA service names per `port/transport`. */
function loadIanaNames(): Map<string, Set<string>> {
  const names = new Map<string, Set<string>>();
  const [header, ...rows] = parseCsv(readFileSync(IANA_CSV, "utf8"));
  assert.deepEqual(header.slice(0, 3), ["Service Name", "Port Number", "Transport Protocol"]);
  for (const [name, port, transport] of rows) {
    if (!name || !/^\d+$/.test(port ?? "")) continue;
    const key = `${port}/${transport}`;
    if (!names.has(key)) names.set(key, new Set());
    names.get(key)!.add(name);
  }
  return names;
}

function ianaTest(name: string, body: (iana: Map<string, Set<string>>) => void): void {
  if (existsSync(IANA_CSV)) {
    test(name, () => body(loadIanaNames()));
  } else if (process.env.CI) {
    test(name, () => assert.fail(`IANA registry snapshot missing in CI: expected ${IANA_CSV}`));
  } else {
    test(name, { skip: `IANA registry snapshot not found at ${IANA_CSV} (shared/ beside the clone)` }, () => {});
  }
}

function registered(iana: Map<string, Set<string>>, port: number, protocol: Protocol): string[] {
  return [...(iana.get(`${port}/${protocol}`) ?? [])].sort();
}

ianaTest("every catalog entry names exactly the IANA registrations of its port and transports", (iana) => {
  for (const e of CATALOG) {
    const expected = e.ianaName === null ? [] : [e.ianaName, ...(e.ianaAlso ?? [])].sort();
    for (const protocol of e.protocols) {
      assert.deepEqual(registered(iana, e.port, protocol), expected, `${e.key} ${e.port}/${protocol}`);
    }
  }
});

ianaTest("every notable port carries the IANA name of its port and transport", (iana) => {
  for (const n of NOTABLE_PORTS) {
    const expected = n.ianaName === null ? [] : [n.ianaName];
    assert.deepEqual(registered(iana, n.port, n.protocol), expected, `${n.port}/${n.protocol}`);
  }
});

ianaTest("the IANA oracle itself knows 514/tcp as shell and 9090/tcp as websm", (iana) => {
  assert.deepEqual(registered(iana, 514, "tcp"), ["shell"]);
  assert.deepEqual(registered(iana, 9090, "tcp"), ["websm"]);
  assert.deepEqual(registered(iana, 24, "tcp"), []);
});

test("the catalog holds every service of the spec with its port and transports", () => {
  const spec: Record<string, [number, Protocol[]]> = {
    smtp: [25, ["tcp"]],
    submissions: [465, ["tcp"]],
    submission: [587, ["tcp"]],
    pop3: [110, ["tcp"]],
    pop3s: [995, ["tcp"]],
    imap: [143, ["tcp"]],
    imaps: [993, ["tcp"]],
    http: [80, ["tcp"]],
    https: [443, ["tcp"]],
    "xmpp-client": [5222, ["tcp"]],
    "xmpp-server": [5269, ["tcp"]],
    sieve: [4190, ["tcp"]],
    lmtp: [24, ["tcp"]],
    ssh: [22, ["tcp"]],
    syslog: [514, ["udp"]],
    "syslog-tls": [6514, ["tcp"]],
    prometheus: [9090, ["tcp"]],
    "node-exporter": [9100, ["tcp"]],
    isakmp: [500, ["udp"]],
    "ipsec-nat-t": [4500, ["udp"]],
    dns: [53, ["udp", "tcp"]],
    ntp: [123, ["udp"]],
  };
  for (const [name, [port, protocols]] of Object.entries(spec)) {
    const e = lookupService(name);
    assert.ok(e, `${name} is in the catalog`);
    assert.equal(e.port, port, name);
    assert.deepEqual(e.protocols, protocols, name);
  }
  assert.equal(CATALOG.length, Object.keys(spec).length);
});

test("smtps is an alias of submissions", () => {
  assert.equal(lookupService("smtps"), lookupService("submissions"));
  assert.deepEqual(lookupService("submissions")?.aliases, ["smtps"]);
});

test("names are unique across keys and aliases, lower case, and listed sorted in SERVICE_NAMES", () => {
  const names = CATALOG.flatMap((e) => [e.key, ...e.aliases]);
  assert.equal(new Set(names).size, names.length);
  for (const n of names) assert.match(n, /^[a-z][a-z0-9-]*$/);
  assert.deepEqual(SERVICE_NAMES, [...names].sort());
});

test("lookupService is case-sensitive and knows only catalog names", () => {
  assert.equal(lookupService("imaps")?.port, 993);
  assert.equal(lookupService("IMAPS"), undefined);
  assert.equal(lookupService("domain"), undefined);
  assert.equal(lookupService(""), undefined);
});

test("lookupPort(514, tcp) does not claim syslog; the notable list says shell", () => {
  assert.deepEqual(lookupPort(514, "tcp"), []);
  assert.deepEqual(
    lookupPort(514, "udp").map((e) => e.key),
    ["syslog"],
  );
  assert.deepEqual(
    lookupNotable(514, "tcp").map((n) => n.ianaName),
    ["shell"],
  );
  assert.deepEqual(lookupNotable(514, "udp"), []);
});

test("lookupPort finds dns on both transports and https on tcp only", () => {
  assert.deepEqual(
    lookupPort(53, "udp").map((e) => e.key),
    ["dns"],
  );
  assert.deepEqual(
    lookupPort(53, "tcp").map((e) => e.key),
    ["dns"],
  );
  assert.deepEqual(lookupPort(443, "udp"), []);
  assert.equal(lookupPort(443).length, 1);
});

test("notable ports are not catalog services on their transport", () => {
  const ports = NOTABLE_PORTS.map((n) => `${n.port}/${n.protocol}`).sort();
  assert.deepEqual(ports, ["2525/tcp", "514/tcp", "5223/tcp", "5443/tcp"]);
  for (const n of NOTABLE_PORTS) assert.deepEqual(lookupPort(n.port, n.protocol), []);
});

test("plaintext access protocols point at an implicit-TLS twin on the same transport", () => {
  assert.equal(lookupService("pop3")?.tlsTwin, "pop3s");
  assert.equal(lookupService("imap")?.tlsTwin, "imaps");
  for (const e of CATALOG.filter((x) => x.tlsTwin)) {
    const twin = lookupService(e.tlsTwin!);
    assert.ok(twin, `${e.key} -> ${e.tlsTwin}`);
    assert.equal(twin.tls, "implicit-tls");
    assert.deepEqual(twin.protocols, e.protocols);
  }
});

test("exactly the administration and monitoring services are adminOnly", () => {
  const admin = CATALOG.filter((e) => e.adminOnly)
    .map((e) => e.key)
    .sort();
  assert.deepEqual(admin, ["lmtp", "node-exporter", "prometheus", "sieve", "ssh", "syslog", "syslog-tls"]);
});

test("TLS modes follow the reference", () => {
  const tls = (k: string) => lookupService(k)?.tls;
  for (const k of ["submissions", "pop3s", "imaps", "https", "syslog-tls"]) assert.equal(tls(k), "implicit-tls", k);
  for (const k of ["smtp", "submission", "pop3", "imap", "xmpp-client", "xmpp-server", "sieve"]) {
    assert.equal(tls(k), "starttls", k);
  }
  for (const k of ["ssh", "isakmp", "ipsec-nat-t"]) assert.equal(tls(k), "not-tls", k);
  for (const k of ["http", "lmtp", "syslog"]) assert.equal(tls(k), "plaintext", k);
});

test("RFCs are written as `RFC n` and cite the reference's numbers", () => {
  for (const e of CATALOG) for (const r of e.rfcs) assert.match(r, /^RFC \d{3,4}$/, e.key);
  const rfcs = (k: string) => lookupService(k)?.rfcs ?? [];
  assert.ok(rfcs("submissions").includes("RFC 8314"));
  assert.ok(rfcs("submission").includes("RFC 6409"));
  assert.ok(rfcs("pop3s").includes("RFC 8314"));
  assert.ok(rfcs("imaps").includes("RFC 8314"));
  assert.ok(rfcs("lmtp").includes("RFC 2033"));
  assert.ok(rfcs("smtp").includes("RFC 5321"));
});

const CJK = /[\u4e00-\u9fff]/;
const documented: { id: string; purpose: PortEntry["purpose"]; advice: PortEntry["advice"] }[] = [
  ...CATALOG.map((e) => ({ id: e.key, purpose: e.purpose, advice: e.advice })),
  ...NOTABLE_PORTS.map((n) => ({ id: `${n.port}/${n.protocol}`, purpose: n.purpose, advice: n.advice })),
];

test("every entry has English and Chinese purpose and advice, the Chinese with CJK text", () => {
  for (const d of documented) {
    for (const field of [d.purpose, d.advice]) {
      assert.ok(field.en.trim().length > 0, d.id);
      assert.ok(field["zh-cn"].trim().length > 0, d.id);
      assert.match(field["zh-cn"], CJK, d.id);
      assert.doesNotMatch(field.en, CJK, d.id);
    }
  }
});

test("cloud facts: outbound 25 is blocked by both clouds and 465 is the way out", () => {
  const smtp = lookupService("smtp")!;
  for (const lang of ["en", "zh-cn"] as const) {
    assert.match(smtp.advice[lang], /465/);
    assert.match(smtp.advice[lang], /smtp\.qiye\.aliyun\.com/);
  }
  assert.match(smtp.advice.en, /Alibaba Cloud ECS and AWS EC2 block outbound 25 by default/);
  assert.match(lookupService("imaps")!.advice.en, /imap\.qiye\.aliyun\.com", 993/);
});
