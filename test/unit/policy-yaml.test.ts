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
import { forgetRuleReadings, parsePolicy } from "../../src/core/parse";
import { rescanPolicyYaml, resolvePlain, scanPolicyYaml } from "../../src/core/policy-yaml";
import { changedWindow } from "../../src/core/text-change";
import { type YRef, yamlNodes, yamlPath } from "../../src/core/yaml-reader";
import { keystroke, mutate, randomTree, render } from "../support/random-policy-text";
import { Rng, runSeed } from "../system/support/rng";

const SEED = runSeed();
const RUNS = Number(process.env.MAILPOLICY_PARSE_RUNS ?? 600);
console.log(`policy-yaml.test: seed ${SEED} (replay with MAILPOLICY_SEED=${SEED})`);

/** parsePolicy through the fast path (when it accepts) and through yaml alone. */
function bothPaths(text: string, lang: Lang = "en") {
  forgetRuleReadings(); // a parse from nothing: no rescan of an earlier text
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

/** A tree as plain nodes (a rescan's shifted collections read as what they stand for). */
function plain(node: YRef): unknown {
  if (node === null) return null;
  switch (node.kind) {
    case "scalar":
      return { kind: "scalar", start: node.start, end: node.end, value: node.value, source: node.source };
    case "map":
      return {
        kind: "map",
        start: node.start,
        end: node.end,
        items: node.items.map((p) => ({ key: plain(p.key), value: plain(p.value) })),
      };
    case "seq":
      return { kind: "seq", start: node.start, end: node.end, items: node.items.map(plain) };
    default:
      return node;
  }
}

/** A character typed or deleted anywhere: typing seldom leaves the subset, so rescans follow one another. */
function typing(r: Rng, text: string): string {
  const at = r.int(0, text.length - 1);
  if (r.next() < 0.5) return text.slice(0, at) + text.slice(at + 1);
  return text.slice(0, at) + r.pick(["a", "1", "s", " ", ".", "/"]) + text.slice(at);
}

/**
 * Edits `text` `steps` times, each time rescanning the latest tree (itself
 * often a rescan) where it can: each rescan must read as a whole scan does.
 * Returns how many edits were rescanned.
 */
function rescanAlong(r: Rng, text: string, steps: number, edit = keystroke): number {
  let rescans = 0;
  let latest = { text, root: scanPolicyYaml(text) };
  for (let step = 0; step < steps; step++) {
    const edited = edit(r, latest.text);
    const whole = scanPolicyYaml(edited);
    let root = whole;
    if (latest.root) {
      const { same, sameEnd } = changedWindow(latest.text, edited);
      const again = rescanPolicyYaml(latest.text, latest.root, edited, same, sameEnd);
      if (again) {
        rescans++;
        assert.ok(whole, `a rescan read a text the scanner declines:\n${edited}`);
        assert.deepStrictEqual(plain(again), plain(whole), `rescan differs for:\n${edited}`);
        root = again;
      }
    }
    latest = { text: edited, root };
  }
  return rescans;
}

describe("policy-yaml: a rescan after an edit reads as a whole scan", () => {
  test("random edits of random policies", () => {
    let rescans = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const r = new Rng(seed);
        rescans += rescanAlong(r, render(r, randomTree(r)), 16);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // Most random edits leave the subset or land outside a list item: 173 to 213 of 9,600 edits were rescanned over five seeds.
    assert.ok(rescans > RUNS / 30, `only ${rescans} edits rescanned`);
  });

  test("random edits and typing in a realistic 300-rule policy", () => {
    const base = renderMailpolicy(generateBenchPolicy(300));
    let rescans = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const r = new Rng(seed);
        rescans += rescanAlong(r, base, 12, r.next() < 0.5 ? keystroke : typing);
      }),
      { seed: SEED, numRuns: 60 },
    );
    // 95 to 155 of 720 edits over five seeds.
    assert.ok(rescans > 30, `only ${rescans} edits rescanned`);
  });

  const policy = [
    "mailpolicy: 1",
    "inbound:",
    "  rules:",
    "    - allow: smtp",
    "      from: any",
    "      note: first",
    "    - allow: imaps",
    "      from: any",
    "    - allow: submissions",
    "      from: any",
    "outbound:",
    "  rules:",
    "    - allow: smtp",
    "      to: any",
    "",
  ].join("\n");

  /** Parses `before`, then `after`: whether the second parse rescanned, and that it reads as a parse from nothing. */
  function parseEdited(before: string, after: string): boolean {
    forgetRuleReadings();
    parsePolicy(before);
    const edited = parsePolicy(after);
    const rescanned = yamlPath.rescanned;
    forgetRuleReadings();
    assert.deepStrictEqual(edited, parsePolicy(after));
    return rescanned;
  }

  test("a character typed into a rule's note rescans that rule alone", () => {
    assert.equal(parseEdited(policy, policy.replace("note: first", "note: firsts")), true);
  });

  test("a key typed into a rule rescans it, and its new diagnostic is found", () => {
    const after = policy.replace(
      "      from: any\n    - allow: submissions",
      "      from: any\n      fro: any\n    - allow: submissions",
    );
    assert.equal(parseEdited(policy, after), true);
    assert.match(
      parsePolicy(after)
        .diagnostics.map((d) => d.message)
        .join("\n"),
      /Unknown key `fro`/,
    );
  });

  test("a rule typed in the middle of one, or deleted whole, rescans the items the edit spans", () => {
    const split = policy.replace("      note: first\n", "    - allow: pop3s\n      from: any\n");
    assert.equal(parseEdited(policy, split), true);
    const deleted = policy.replace("    - allow: imaps\n      from: any\n", "");
    assert.equal(parseEdited(policy, deleted), true);
  });

  test("an edit that changes the next item's indentation is scanned whole", () => {
    const dedented = policy.replace("    - allow: imaps", "   - allow: imaps");
    assert.equal(parseEdited(policy, dedented), false);
  });

  test("an edit of a list's last item reads on from that item, as a whole scan does", () => {
    assert.equal(parseEdited(policy, policy.replace("      to: any", "      to: any6")), true);
    const typedAtTheEnd = policy.replace(
      "      from: any\noutbound:",
      "      from: any\n    - allow: pop3s\n      from: any\noutbound:",
    );
    assert.equal(parseEdited(policy, typedAtTheEnd), true);
  });
});
