/**
 * The fast policy-YAML scanner (src/core/policy-yaml.ts) against the `yaml`
 * package. For every text the scanner accepts, parsePolicy through it must equal
 * parsePolicy through yaml (policy and diagnostics, ranges and messages), and its
 * nodes must equal the ones made from yaml's document; every text it declines
 * still gets yaml's diagnostics. Inputs: the examples, benchmark policies, and
 * random policy texts in many formattings, near-misses and broken YAML.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import fc from "fast-check";
import { parse as parseYaml } from "yaml";
import { generateBenchPolicy, renderMailpolicy } from "../../bench/policy-generator";
import type { Lang } from "../../src/core/model";
import { parsePolicy } from "../../src/core/parse";
import { resolvePlain, scanPolicyYaml } from "../../src/core/policy-yaml";
import { yamlNodes, yamlPath } from "../../src/core/yaml-reader";
import { Rng, runSeed } from "../system/support/rng";

const SEED = runSeed();
const RUNS = Number(process.env.MAILPOLICY_PARSE_RUNS ?? 600);
console.log(`policy-yaml.test: seed ${SEED} (replay with MAILPOLICY_SEED=${SEED})`);

/** parsePolicy through the fast path (when it accepts) and through yaml alone. */
function bothPaths(text: string, lang: Lang = "en") {
  yamlPath.fast = true;
  const fast = parsePolicy(text, lang);
  const took = yamlPath.last;
  yamlPath.fast = false;
  try {
    return { fast, yaml: parsePolicy(text, lang), took };
  } finally {
    yamlPath.fast = true;
  }
}

/** Asserts both paths agree on `text`; true when the fast path read it. */
function agree(text: string, lang: Lang = "en"): boolean {
  const scanned = scanPolicyYaml(text);
  const { fast, yaml, took } = bothPaths(text, lang);
  assert.equal(took, scanned ? "fast" : "yaml", "parsePolicy takes the fast path exactly when the scanner accepts");
  if (scanned) {
    assert.deepEqual(scanned, yamlNodes(text), `nodes differ for:\n${text}`);
    assert.deepEqual(fast, yaml, `parsePolicy differs for:\n${text}`);
  }
  return scanned !== undefined;
}

const examplesDir = new URL("../../examples/", import.meta.url);
const examples = readdirSync(examplesDir)
  .filter((f) => f.endsWith(".mailpolicy.yaml"))
  .map((f) => ({ name: f, text: readFileSync(new URL(f, examplesDir), "utf8") }));

describe("policy-yaml: real files take the fast path and read as yaml reads them", () => {
  test("there are examples", () => assert.ok(examples.length >= 3));
  for (const { name, text } of examples) {
    test(`example ${name}`, () => {
      assert.ok(agree(text), "fast path taken");
      assert.ok(agree(text, "zh-cn"), "fast path taken (zh-cn)");
    });
  }
  for (const n of [1, 50, 200, 1000]) {
    test(`benchmark policy, ${n} rules`, () => {
      assert.ok(agree(renderMailpolicy(generateBenchPolicy(n))), "fast path taken");
    });
  }
  test("the spec example with its diagnostics-free reading", () => {
    const text = examples.find((e) => e.name === "mx1.mailpolicy.yaml")!.text;
    assert.deepEqual(parsePolicy(text).diagnostics, []);
    assert.equal(yamlPath.last, "fast");
  });
});

describe("policy-yaml: plain scalars resolve as yaml's core schema does", () => {
  const odd = [
    "025",
    "25",
    "-7",
    "+3",
    "0",
    "-0",
    "0o17",
    "0o8",
    "0x19",
    "0xFf",
    "0X19",
    "1e3",
    "1E3",
    "1.5e-3",
    ".5",
    "5.",
    "1.",
    "-.5",
    "+.5e2",
    ".inf",
    "-.Inf",
    "+.INF",
    ".nan",
    ".NaN",
    ".NAN",
    "nan",
    "inf",
    "true",
    "True",
    "TRUE",
    "tRue",
    "false",
    "False",
    "FALSE",
    "yes",
    "no",
    "on",
    "off",
    "~",
    "null",
    "Null",
    "NULL",
    "nULL",
    "1_000",
    "0b101",
    "1:20",
    "12e",
    "e3",
    "1.2.3",
    "10.0.0.1",
    "2001:db8::1",
    "::1",
    "99999999999999999999",
    "0x",
    "0o",
    "1e400",
    ".",
    "+",
    "--1",
    "+-1",
    "1-2",
    "-5x",
  ];
  test("table of odd scalars", () => {
    for (const raw of odd) assert.deepEqual(resolvePlain(raw), parseYaml(`${raw}\n`), raw);
  });
  test("random short strings from the number alphabet", () => {
    const chars = "0123456789+-.eExXoOabfinNaAtTrRuUlLsS~_:";
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...chars), { minLength: 1, maxLength: 7 }).map((a) => a.join("")),
        (raw) => {
          let expected: unknown;
          try {
            expected = parseYaml(`v: ${raw}\n`).v;
          } catch {
            return; // not a plain scalar on its own (`-`, `:` ...): the scanner never resolves those
          }
          if (typeof expected === "object" && expected !== null) return;
          assert.deepEqual(resolvePlain(raw), expected, raw);
        },
      ),
      { seed: SEED, numRuns: 2000 },
    );
  });
});

// ---------------------------------------------------------------------------
// Random policy texts: a small tree of what policies hold, rendered with random
// formatting, then sometimes mutated into a near-miss or broken YAML.

type Tree =
  | { kind: "map"; pairs: [string, Tree][] }
  | { kind: "seq"; items: Tree[] }
  | { kind: "scalar"; text: string }
  | { kind: "empty" };

const PORTS = ["smtp", "imaps", "submissions", "pop3", "ssh", "25", "025", "993/tcp", "6000-6010/udp", "0x19", "99999"];
const PEERS = ["any", "any4", "office", "monitoring", "203.0.113.0/24", "10.0.0.1/8", "2001:db8::1", "2001:db8::/48"];
const ODD = ["true", "~", "null", "1e3", ".inf", "-.5", "0o17", "False", "NULL", "+1", "1.", "0x1F"];
/** Notes the subset reads (in YAML terms: plain scalars with `#`, `:`, `*`, `&` inside, unicode). */
const NOTES = [
  "legacy scanner, remove by 2027",
  "see ticket #42",
  "a#b",
  "ratio 1:2",
  "http://example.com/x",
  "star* and &amp",
  "阿里云企业邮箱 smtp.qiye.aliyun.com:465",
  "emoji 📬 ok",
  "a, b [c] {d}",
  "trailing space ",
  "nbsp\u00a0",
  "ideographic\u3000",
  "-dash",
  "?q",
  ":colon",
  "it's",
];
/** Notes that start or contain what only yaml reads (or that break the line). */
const ODD_NOTES = [
  "*star",
  "&amp",
  "!bang",
  "x: y",
  "ends:",
  "key: value: x",
  "|pipe",
  ">fold",
  "%pct",
  "@at",
  "`tick`",
  "'single'",
  '"double"',
  "back\\slash",
  "{a}",
  "[a",
];

function quoteAs(r: Rng, text: string): string {
  switch (r.int(0, 9)) {
    case 0:
      return `'${text.replaceAll("'", "''")}'`;
    case 1:
      return JSON.stringify(text);
    default:
      return text;
  }
}

function scalar(r: Rng, pool: readonly string[]): Tree {
  const roll = r.next();
  if (roll < 0.06) return { kind: "scalar", text: quoteAs(r, r.pick(ODD)) };
  if (roll < 0.08) return { kind: "empty" };
  if (roll < 0.1) return { kind: "scalar", text: quoteAs(r, r.pick(ODD_NOTES)) };
  return { kind: "scalar", text: quoteAs(r, r.pick(pool)) };
}

function list(r: Rng, pool: readonly string[]): Tree {
  if (r.next() < 0.5) return scalar(r, pool);
  const items: Tree[] = [];
  for (let i = r.int(0, 4); i > 0; i--) items.push(scalar(r, pool));
  return { kind: "seq", items };
}

function key(r: Rng, name: string): string {
  const roll = r.next();
  if (roll < 0.03) return name.slice(0, -1) + "x"; // a typo
  if (roll < 0.06) return `"${name}"`;
  if (roll < 0.08) return `'${name}'`;
  return name;
}

function randomTree(r: Rng): Tree {
  const top: [string, Tree][] = [];
  if (r.next() < 0.95)
    top.push([key(r, "mailpolicy"), { kind: "scalar", text: r.pick(["1", "1", "2", "'1'", "1.0"]) }]);
  if (r.next() < 0.5) top.push([key(r, "name"), scalar(r, NOTES)]);
  if (r.next() < 0.03) top.push([key(r, "name"), scalar(r, NOTES)]); // maybe a duplicate
  if (r.next() < 0.7) {
    const groups: [string, Tree][] = [];
    for (const name of r.sample(["office", "monitoring", "vpc", "any", "9bad"], r.int(0, 3))) {
      groups.push([name, list(r, PEERS)]);
    }
    top.push([key(r, "sources"), groups.length ? { kind: "map", pairs: groups } : { kind: "empty" }]);
  }
  for (const direction of ["inbound", "outbound"] as const) {
    if (r.next() < 0.2) continue;
    const rules: Tree[] = [];
    for (let i = r.int(0, 4); i > 0; i--) {
      const pairs: [string, Tree][] = [[key(r, r.pick(["allow", "allow", "deny", "reject"])), list(r, PORTS)]];
      if (r.next() < 0.9) pairs.push([key(r, direction === "inbound" ? "from" : "to"), list(r, PEERS)]);
      if (r.next() < 0.3) pairs.push([key(r, "note"), scalar(r, NOTES)]);
      if (r.next() < 0.1) pairs.push([key(r, "acknowledge"), list(r, ["security.plaintext-access", "rule.shadowed"])]);
      if (r.next() < 0.1) pairs.push([key(r, "expires"), scalar(r, ["2027-01-31", "2020-02-30", "soon"])]);
      if (r.next() < 0.02) pairs.push([...pairs[0]]); // a duplicate key
      rules.push({ kind: "map", pairs: r.sample(pairs, pairs.length - (r.next() < 0.1 ? 1 : 0)) });
    }
    const set: [string, Tree][] = [];
    if (r.next() < 0.8) set.push([key(r, "default"), scalar(r, ["drop", "reject", "accept", "deny"])]);
    if (r.next() < 0.9)
      set.push([key(r, "rules"), rules.length || r.next() < 0.5 ? { kind: "seq", items: rules } : { kind: "empty" }]);
    top.push([direction, { kind: "map", pairs: set }]);
  }
  if (r.next() < 0.6) {
    const targets: [string, Tree][] = [];
    if (r.next() < 0.7) {
      targets.push([
        "iptables",
        {
          kind: "map",
          pairs: [
            ["ipv6", scalar(r, ["true", "false", "True", "yes"])],
            ["forward", scalar(r, ["drop", "accept"])],
          ],
        },
      ]);
    }
    if (r.next() < 0.7) {
      targets.push([
        "aliyun",
        {
          kind: "map",
          pairs: [
            ["regionId", scalar(r, ["cn-hangzhou", "025"])],
            ["priority", scalar(r, ["1", "100", "0x10", "1e1", "101", "5.0"])],
          ],
        },
      ]);
    }
    if (r.next() < 0.5)
      targets.push(["aws", { kind: "map", pairs: [["groupId", scalar(r, ["sg-0123456789abcdef0"])]] }]);
    top.push([key(r, "targets"), targets.length ? { kind: "map", pairs: targets } : { kind: "empty" }]);
  }
  return { kind: "map", pairs: r.sample(top, top.length) };
}

/** Renders with random formatting: comments anywhere, blank lines, spacing, indentation, list styles. */
function render(r: Rng, tree: Tree): string {
  const out: string[] = [];
  const comment = () => (r.next() < 0.15 ? `${" ".repeat(r.next() < 0.05 ? 0 : r.int(1, 3))}# ${r.pick(NOTES)}` : "");
  const trailing = () => (r.next() < 0.1 ? " ".repeat(r.int(1, 3)) : "");
  const extras = (indent: number) => {
    while (r.next() < 0.12) {
      const deep = r.next() < 0.1 ? r.int(1, 4) : 0;
      out.push(r.next() < 0.4 ? " ".repeat(r.int(0, 3)) : `${" ".repeat(r.int(0, indent) + deep)}# note`);
    }
  };
  const inline = (t: Tree): string | undefined => {
    if (t.kind === "scalar") return t.text;
    if (t.kind === "empty") return "";
    if (t.kind === "seq" && t.items.every((i) => i.kind === "scalar") && r.next() < 0.6) {
      const sep = r.pick([", ", ",", " , "]);
      const pad = r.pick(["", " "]);
      return `[${pad}${t.items.map((i) => (i as { text: string }).text).join(sep)}${pad}]`;
    }
    return undefined;
  };
  const block = (t: Tree, indent: number, prefix: string) => {
    // `prefix` is what precedes the first line's content (`- ` for a compact mapping in a list).
    if (t.kind === "map") {
      const inner = prefix ? indent + prefix.length : indent;
      t.pairs.forEach(([k, v], i) => {
        const lead = i === 0 ? `${" ".repeat(indent)}${prefix}` : " ".repeat(inner);
        if (i > 0 || !prefix) extras(inner);
        const gap = r.pick([" ", " ", "  "]);
        const text = inline(v);
        if (text !== undefined) {
          out.push(`${lead}${k}:${text === "" ? "" : gap + text}${trailing()}${comment()}`);
        } else {
          out.push(`${lead}${k}:${trailing()}${comment()}`);
          const step = v.kind === "seq" && r.next() < 0.4 ? 0 : r.pick([2, 2, 4, 3]);
          block(v, inner + step, "");
        }
      });
    } else if (t.kind === "seq") {
      for (const item of t.items) {
        extras(indent);
        const text = inline(item);
        const dash = r.next() < 0.9 ? "- " : "-   ";
        if (text !== undefined && text !== "") out.push(`${" ".repeat(indent)}${dash}${text}${trailing()}${comment()}`);
        else if (item.kind === "map") block(item, indent, dash);
        else out.push(`${" ".repeat(indent)}-${trailing()}`); // an empty item: yaml's
      }
    }
  };
  if (r.next() < 0.3) out.push("# A policy", "");
  block(tree, 0, "");
  extras(0);
  return out.join("\n") + (r.next() < 0.9 ? "\n" : "");
}

/** Sometimes breaks the text: a character inserted, deleted or replaced where YAML is touchy. */
function mutate(r: Rng, text: string): string {
  if (r.next() < 0.6 || text.length === 0) return text;
  const at = r.int(0, text.length - 1);
  const junk = r.pick([
    ":",
    "- ",
    " ",
    "  ",
    "\t",
    "[",
    "]",
    '"',
    "'",
    "#",
    "\n",
    "&a ",
    "*a",
    "!!str ",
    "{",
    "? ",
    "|",
    "---\n",
    "\r",
    "\ufeff",
    ",",
  ]);
  switch (r.int(0, 2)) {
    case 0:
      return text.slice(0, at) + junk + text.slice(at);
    case 1:
      return text.slice(0, at) + text.slice(at + 1);
    default:
      return text.slice(0, at) + junk + text.slice(at + 1);
  }
}

describe("policy-yaml: random policies, fast path against yaml", () => {
  test("random formatting and mutations agree with yaml", () => {
    let accepted = 0;
    let total = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const r = new Rng(seed);
        const text = mutate(r, render(r, randomTree(r)));
        total++;
        if (agree(text, r.next() < 0.2 ? "zh-cn" : "en")) accepted++;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // The generator must exercise the fast path, not only the fallback.
    assert.ok(accepted > total / 4, `fast path took ${accepted} of ${total}`);
  });
});

/**
 * Lines of random indentation and content: structure yaml may or may not
 * accept, to test the scanner's stack (nesting, indentless lists, where
 * comments attach). Each line's indentation moves from the previous one's;
 * keys are numbered so that duplicates stay rare.
 */
const lineSoup = fc
  .array(
    fc.tuple(
      fc.oneof({ arbitrary: fc.constantFrom(0, 0, 0, 2, 2, 4, -2, -2, -4, -6), weight: 12 }, fc.constantFrom(1, -1, 3)),
      fc.oneof(
        {
          arbitrary: fc.constantFrom("K: 1", "K:", "K:", "K: [x, 'y']", "- d", "- K: 2", "- K:", "# c", "", "K: h # c"),
          weight: 12,
        },
        fc.constantFrom("-", "  ", "'K': v", "- [1]", "x"),
      ),
      fc.constantFrom("", "", " ", " # t"),
    ),
    { minLength: 1, maxLength: 16 },
  )
  .map((lines) => {
    let indent = 0;
    const out = ["k: v"];
    lines.forEach(([delta, content, tail], i) => {
      indent = Math.max(0, Math.min(12, indent + delta));
      out.push(" ".repeat(indent) + content.replace("K", `k${i}`) + (content ? tail : ""));
    });
    return out.join("\n");
  });

describe("policy-yaml: random line soup, fast path against yaml", () => {
  test("whatever the scanner accepts, yaml reads the same", () => {
    let accepted = 0;
    fc.assert(
      fc.property(lineSoup, fc.boolean(), (text, newline) => {
        if (agree(newline ? `${text}\n` : text)) accepted++;
      }),
      { seed: SEED, numRuns: RUNS * 2 },
    );
    assert.ok(accepted > 0, "some soup is in the subset");
  });
});

describe("policy-yaml: outside the subset, yaml reads it", () => {
  const base = "mailpolicy: 1\ninbound:\n  rules:\n    - allow: smtp\n      from: any\n";
  const outside: Record<string, string> = {
    "an anchor and alias": "mailpolicy: 1\nsources:\n  a: &x 10.0.0.0/8\n  b: *x\n",
    "a tag": "mailpolicy: !!int 1\n",
    "a block scalar": "mailpolicy: 1\nname: |\n  x\n",
    "a folded scalar": "mailpolicy: 1\nname: >\n  x\n",
    "an explicit key": "? mailpolicy\n: 1\n",
    "a directive": "%YAML 1.2\n---\nmailpolicy: 1\n",
    "a document start": "---\nmailpolicy: 1\n",
    "a document end": "mailpolicy: 1\n...\n",
    "two documents": "mailpolicy: 1\n---\nmailpolicy: 1\n",
    "a multi-line plain scalar": "mailpolicy: 1\nname: a\n  b\n",
    "a nested mapping on one line": "mailpolicy: 1\nname: a: b\n",
    "a flow mapping": "mailpolicy: 1\ntargets: {aws: {groupId: sg-1}}\n",
    "a nested flow list": "mailpolicy: 1\nsources:\n  a: [[10.0.0.0/8]]\n",
    "a multi-line flow list": "mailpolicy: 1\nsources:\n  a: [10.0.0.0/8,\n    10.1.0.0/16]\n",
    "a trailing comma": "mailpolicy: 1\nsources:\n  a: [10.0.0.0/8,]\n",
    "a double-quoted escape": 'mailpolicy: 1\nname: "a\\tb"\n',
    "a tab": "mailpolicy: 1\nname:\tx\n",
    "CRLF line ends": "mailpolicy: 1\r\nname: x\r\n",
    "a BOM": "\ufeffmailpolicy: 1\n",
    "a duplicate key": "mailpolicy: 1\nmailpolicy: 1\n",
    "a number key": "mailpolicy: 1\n25: x\n",
    "an empty list item": `${base}    -\n`,
    "a nested list": "mailpolicy: 1\nsources:\n  a:\n    - - 10.0.0.0/8\n",
    "a comment after an empty value": "mailpolicy: 1\nname:\n# c\ninbound:\n",
    "a comment indented under a value": `${base}          # deeper\n`,
    "bad indentation": "mailpolicy: 1\ninbound:\n    default: drop\n  rules: []\n",
    "a root list": "- mailpolicy: 1\n",
    "a root scalar": "mailpolicy\n",
    "empty text": "",
    "only a comment": "# nothing\n",
    "deep nesting": `mailpolicy: 1\n${Array.from({ length: 20 }, (_, i) => `${" ".repeat(i * 2)}k${i}:`).join("\n")}\n`,
    "an unclosed quote": "mailpolicy: 1\nname: 'x\n",
    "text after a quoted value": 'mailpolicy: 1\nname: "x" y\n',
  };
  for (const [what, text] of Object.entries(outside)) {
    test(what, () => {
      assert.equal(scanPolicyYaml(text), undefined, "the scanner declines");
      assert.equal(agree(text), false);
      // The fallback's diagnostics are yaml's: the same as with the fast path switched off.
      assert.equal(yamlPath.last, "yaml");
    });
  }
  test("broken files keep yaml's syntax diagnostics", () => {
    const text = "mailpolicy: 1\ninbound:\n  rules:\n    - allow: [smtp\n";
    const { diagnostics } = parsePolicy(text);
    assert.equal(yamlPath.last, "yaml");
    assert.ok(diagnostics.some((d) => d.code === "yaml.syntax"));
  });
});

describe("policy-yaml: inside the subset, with the ranges yaml gives", () => {
  const inside: Record<string, string> = {
    "indentless rules": "mailpolicy: 1\ninbound:\n  rules:\n  - allow: smtp\n    from: any\n",
    "comments everywhere": [
      "# head",
      "mailpolicy: 1 # version",
      "",
      "# before sources",
      "sources:   # groups",
      "  # first",
      '  office: [203.0.113.0/24, "2001:db8::1"] # two',
      "inbound:",
      "  rules:",
      "    # first rule",
      "    - allow: smtp # mail",
      "      # between keys",
      "      from: any",
      "      # after the rule, same column",
      "  # less indented",
      "    - deny: 143",
      "      from: office # last",
      "    # trailing, rule column",
      "",
      "# tail",
      "",
    ].join("\n"),
    "block lists under keys":
      "mailpolicy: 1\ninbound:\n  rules:\n    - allow:\n        - smtp\n        - imaps # c\n      from:\n      - any\n",
    "quoted keys and values":
      "'mailpolicy': 1\n\"name\": 'it''s'\ninbound:\n  rules:\n    - \"allow\": \"smtp\"\n      from: 'any'\n",
    "odd scalars":
      'mailpolicy: 1\nname: 025\ninbound:\n  default: ~\n  rules:\n    - allow: [025, 0x19, 1e3, .inf, true]\n      from: [::1, "2001:db8::"]\n',
    "empty values": "mailpolicy: 1\nsources:\ninbound:\n  default:\n  rules:\noutbound:\n",
    "no final newline": "mailpolicy: 1\nname: x # c",
    "a key typo": "mailpolicy: 1\ninbound:\n  rules:\n    - alow: smtp\n      form: any\n",
    "deeper indentation":
      "mailpolicy: 1\ninbound:\n        rules:\n            -   allow: smtp\n                from: any\n",
  };
  for (const [what, text] of Object.entries(inside)) {
    test(what, () => assert.ok(agree(text), "fast path taken"));
  }
});
