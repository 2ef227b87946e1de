/**
 * The parser reuses the previous parse's reading of every rule whose text did
 * not change (src/core/parse.ts, src/core/rule-content.ts). Whatever the edit,
 * the result must be exactly what a parse from nothing gives: the same policy,
 * ranges and diagnostics, in the same order.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { generateBenchPolicy, renderMailpolicy } from "../../bench/policy-generator";
import { checkPolicy, forgetEarlierChecks } from "../../src/core/check";
import { awsPermissions } from "../../src/core/generate/aws";
import { ruleBoxes } from "../../src/core/match";
import type { Lang } from "../../src/core/model";
import { forgetRuleReadings, parsePolicy, ruleReadings } from "../../src/core/parse";
import { contentKey } from "../../src/core/rule-content";
import { yamlPath } from "../../src/core/yaml-reader";
import { keystroke, randomTree, render } from "../support/random-policy-text";
import { Rng, runSeed } from "../system/support/rng";

const SEED = runSeed();
console.log(`parse-reuse.test: seed ${SEED} (replay with MAILPOLICY_SEED=${SEED})`);

/** Which path parseBothWays's first parse took (see yamlPath.last), and whether yaml read a list's last items. */
let lastLoad: typeof yamlPath.last;
let lastTail = false;

/** Parses `text` after the previous parse (reusing its readings), and again from nothing; both must agree. */
function parseBothWays(text: string, lang: Lang = "en") {
  const reused = parsePolicy(text, lang);
  lastLoad = yamlPath.last;
  lastTail = yamlPath.tail;
  const counts = { ...ruleReadings };
  forgetRuleReadings();
  const fresh = parsePolicy(text, lang);
  assert.deepStrictEqual(reused, fresh, `reused reading differs for:\n${text}`);
  return { reused, fresh, counts };
}

/**
 * After parseBothWays of `edited`, the latest text the scanner read whole, as the
 * editor has it: `edited` when the parse from nothing scanned it, else `latest`,
 * parsed again so the next edit is compared with it.
 */
function editorState(latest: string, edited: string): string {
  if (yamlPath.last === "fast") return edited;
  forgetRuleReadings();
  parsePolicy(latest);
  return latest;
}

/** A whole rule deleted, or written twice: every later rule moves to another index. */
function ruleAddedOrDeleted(r: Rng, text: string): string {
  const starts = [...text.matchAll(/^ {4}- /gm)].map((m) => m.index);
  const i = r.int(0, starts.length - 2);
  const rule = text.slice(starts[i], starts[i + 1]);
  return `${text.slice(0, starts[i])}${rule.repeat(r.next() < 0.5 ? 0 : 2)}${text.slice(starts[i + 1])}`;
}

describe("parse: reusing the previous parse's rules", () => {
  test("random edits of random policies read exactly as a fresh parse", () => {
    let reusedRules = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const r = new Rng(seed);
        let text = render(r, randomTree(r));
        forgetRuleReadings();
        parsePolicy(text);
        for (let step = 0; step < 12; step++) {
          text = keystroke(r, text);
          const { counts } = parseBothWays(text, r.next() < 0.1 ? "zh-cn" : "en");
          reusedRules += counts.kept + counts.moved;
        }
      }),
      { seed: SEED, numRuns: 300 },
    );
    // The edits must exercise reuse, not only fresh reads (many random texts take the yaml path).
    assert.ok(reusedRules > 200, `only ${reusedRules} rules reused`);
  });

  test("random edits of a realistic 300-rule policy read exactly as a fresh parse", () => {
    const base = renderMailpolicy(generateBenchPolicy(300));
    let reusedRules = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const r = new Rng(seed);
        let text = base;
        forgetRuleReadings();
        parsePolicy(text);
        for (let step = 0; step < 4; step++) {
          text = keystroke(r, text);
          const { counts } = parseBothWays(text);
          reusedRules += counts.kept + counts.moved;
        }
      }),
      { seed: SEED, numRuns: 40 },
    );
    // Many edits leave the fast path (a text only `yaml` reads, which reuses nothing), and later
    // edits seldom bring it back: over 13 seeds, 11,000 to 17,700 rules were reused, and once 5,971.
    assert.ok(reusedRules > 40 * 4 * 12, `only ${reusedRules} rules reused`);
  });

  test("checks after reused parses write the same outputs and findings as from nothing", () => {
    // Outputs keep work per rule content (iptables lines, Alibaba Cloud entries at a priority,
    // AWS grants) and per permission: actions flipped change the priorities of later rules and
    // the deny boxes later allows meet, and lines added or deleted move every later rule's index.
    const base = renderMailpolicy(generateBenchPolicy(150));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const r = new Rng(seed);
        let text = base;
        forgetEarlierChecks();
        checkPolicy(text, { today: "2026-12-04" });
        for (let step = 0; step < 4; step++) {
          const kind = r.next();
          if (kind < 0.4) {
            const actions = [...text.matchAll(/- (allow|deny): /g)];
            const m = r.pick(actions);
            const flipped = m[1] === "allow" ? "deny" : "allow";
            text = `${text.slice(0, m.index + 2)}${flipped}${text.slice(m.index + 2 + m[1].length)}`;
          } else if (kind < 0.7) text = ruleAddedOrDeleted(r, text);
          else text = keystroke(r, text);
          const reused = checkPolicy(text, { today: "2026-12-04" });
          forgetEarlierChecks();
          const fresh = checkPolicy(text, { today: "2026-12-04" });
          assert.deepStrictEqual(reused.diagnostics, fresh.diagnostics);
          assert.deepStrictEqual([...reused.outputs.keys()], [...fresh.outputs.keys()]);
          for (const [target, output] of fresh.outputs) {
            assert.equal(reused.outputs.get(target)?.text, output.text, target);
            assert.deepStrictEqual(reused.outputs.get(target)?.lineRules, output.lineRules, target);
          }
        }
      }),
      { seed: SEED, numRuns: 25 },
    );
  });

  test("in a crowded policy, findings and outputs after each edit of one rule are those of a check from nothing", () => {
    // Few ports and nested prefixes: most rules overlap, duplicate or shadow earlier ones, and meet
    // denies. An edit of one rule changes what later rules' kept findings and grants were made from.
    const PEERS = ["10.0.0.0/8", "10.1.0.0/16", "10.1.0.0/17", "10.1.2.0/24", "10.1.2.3", "10.2.0.0/16", "any"];
    const PORTS = ["smtp", "ssh", "[smtp, ssh]", "20-30/tcp", "submissions"];
    const ruleText = (r: Rng) =>
      `    - ${r.pick(["allow", "allow", "deny"])}: ${r.pick(PORTS)}\n      from: ${r.pick(PEERS)}\n`;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const r = new Rng(seed);
        const rules = Array.from({ length: r.int(2, 14) }, () => ruleText(r));
        const text = () =>
          `mailpolicy: 1\ninbound:\n  default: drop\n  rules:\n${rules.join("")}targets:\n  aliyun:\n    priority: 1\n  aws:\n    groupId: sg-1\n`;
        forgetEarlierChecks();
        checkPolicy(text(), { today: "2026-12-04" });
        for (let step = 0; step < 6; step++) {
          rules[r.int(0, rules.length - 1)] = ruleText(r);
          const reused = checkPolicy(text(), { today: "2026-12-04" });
          forgetEarlierChecks();
          const fresh = checkPolicy(text(), { today: "2026-12-04" });
          assert.deepStrictEqual(reused.diagnostics, fresh.diagnostics, text());
          for (const [target, output] of fresh.outputs) {
            assert.equal(reused.outputs.get(target)?.text, output.text, target);
            assert.deepStrictEqual(reused.outputs.get(target)?.lineRules, output.lineRules, target);
          }
        }
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  test("a kept shadow verdict is used only while the subtraction budget left covers what it took", () => {
    // Each direction allows a fixed number of box subtractions (validate.ts), and a check from
    // nothing gives up on the rules past it. The last rule here is shadowed, which takes about
    // 80,000 subtractions (400 holes cut into its /16 first). A /16 above it, moved onto the port of
    // the 500 hosts before it, takes about 125,000 more. Then the last rule's earlier rules are the
    // same, but its kept verdict took more than is left: a check from nothing gives up there, so
    // must a later one. The other way, a verdict reached after giving up is not kept.
    const hosts = (port: string, net: number, count: number) =>
      Array.from({ length: count }, (_, i) => {
        const n = (i * 97 + 1) % 65536;
        return `    - allow: ${port}\n      from: 10.${net}.${n >> 8}.${n & 255}\n`;
      }).join("");
    const smtp = `${hosts("smtp", 0, 400)}    - allow: smtp\n      from: 10.0.0.0/17\n    - allow: smtp\n      from: 10.0.128.0/17\n`;
    const last = "    - allow: smtp\n      from: 10.0.0.0/16\n";
    // One edit spends the budget: the /16 above moves onto its hosts' port.
    const policy = (spend: boolean) =>
      `mailpolicy: 1\ninbound:\n  default: drop\n  rules:\n${hosts("submission", 1, 500)}    - allow: ${spend ? "submission" : "imaps"}\n      from: 10.1.0.0/16\n${smtp}${last}`;
    const shadowed = (check: ReturnType<typeof checkPolicy>) =>
      check.diagnostics.filter((d) => d.code === "rule.shadowed").map((d) => d.range.start);
    for (const [before, after] of [
      [false, true],
      [true, false],
    ]) {
      forgetEarlierChecks();
      checkPolicy(policy(before));
      const reused = checkPolicy(policy(after));
      forgetEarlierChecks();
      const fresh = checkPolicy(policy(after));
      assert.deepStrictEqual(reused.diagnostics, fresh.diagnostics, `from spend=${before} to spend=${after}`);
      // The case is the one meant: the last rule is found shadowed only with the budget to spare.
      const text = policy(after);
      assert.deepEqual(shadowed(fresh), after ? [] : [text.lastIndexOf("allow: smtp")]);
    }
  });

  test("an edit of one rule plans again only the AWS permissions that rule is in; the others are kept", () => {
    const policy = (port: string, note: string) =>
      [
        "mailpolicy: 1",
        "inbound:",
        "  default: drop",
        "  rules:",
        "    - allow: smtp",
        "      from: any",
        "    - allow: submissions",
        "      from: 192.0.2.0/24",
        `    - allow: ${port}`,
        "      from: 198.51.100.7",
        `      note: ${note}`,
        "    - allow: ssh",
        "      from: 10.0.0.0/8",
        "    - deny: imaps",
        "      from: 10.1.0.0/16",
        "    - allow: imaps",
        "      from: 10.0.0.0/8",
        "targets:",
        "  aws:",
        "    groupId: sg-1",
        "",
      ].join("\n");
    const planned = (text: string) => {
      checkPolicy(text);
      return { ...awsPermissions };
    };
    forgetEarlierChecks();
    // Five inbound ports (imaps cut by the deny before it), and all traffic out (the outbound default).
    assert.deepEqual(planned(policy("8443/tcp", "proxy")), { planned: 6, kept: 0 });
    assert.deepEqual(planned(policy("8444/tcp", "proxy")), { planned: 1, kept: 5 }, "a port changed");
    assert.deepEqual(planned(policy("8444/tcp", "proxy2")), { planned: 1, kept: 5 }, "a note typed into");
    assert.deepEqual(
      planned(`# a comment above\n${policy("8444/tcp", "proxy2")}`),
      { planned: 0, kept: 6 },
      "all moved",
    );
  });

  test("a kept rule whose Alibaba Cloud priority changed is written with the new one", () => {
    const policy = (first: string) =>
      [
        "mailpolicy: 1",
        "inbound:",
        "  rules:",
        `    - ${first}: smtp`,
        "      from: 10.0.0.0/8",
        "    - deny: smtp",
        "      from: 10.1.0.0/16",
        "targets:",
        "  aliyun:",
        "    priority: 1",
        "",
      ].join("\n");
    const priorities = (text: string) =>
      (JSON.parse(checkPolicy(text).outputs.get("aliyun")!.text).Ingress as { Priority: string }[]).map(
        (e) => e.Priority,
      );
    forgetRuleReadings();
    assert.deepEqual(priorities(policy("allow")), ["1", "2"]);
    assert.deepEqual(priorities(policy("deny")), ["1", "1"]);
    assert.deepEqual(ruleReadings, { read: 1, moved: 1, kept: 0 }, "the deny rule was moved, not read again");
    assert.deepEqual(priorities(policy("allow")), ["1", "2"]);
  });

  test("keystrokes that break the YAML inside rules read exactly as a fresh parse, yaml reading only those rules", () => {
    // Typing, deleting and pasting YAML's own characters: keys before their colon, quotes and brackets.
    const broken = (r: Rng, text: string) => {
      if (r.next() < 0.5) return keystroke(r, text);
      const at = r.int(0, text.length - 1);
      if (r.next() < 0.4) return text.slice(0, at) + text.slice(at + 1);
      const piece = r.pick(["a", "f", ":", " ", "\n      f", "\n    - ", "[", '"', "'", "{", ",", "-"]);
      return text.slice(0, at) + piece + text.slice(at);
    };
    const realistic = renderMailpolicy(generateBenchPolicy(300));
    let mixed = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const r = new Rng(seed);
        let text = r.next() < 0.5 ? realistic : render(r, randomTree(r));
        forgetRuleReadings();
        parsePolicy(text);
        for (let step = 0; step < 12; step++) {
          text = broken(r, text);
          parseBothWays(text);
          // parseBothWays ends with a parse from nothing: the next edit is of a text read whole.
          if (lastLoad === "mixed") mixed++;
        }
      }),
      { seed: SEED, numRuns: 200 },
    );
    // About one edit in 40 breaks the YAML inside a rule of a text the fast scanner read.
    assert.ok(mixed > 15, `only ${mixed} edits read by yaml alone in their rules`);
  });

  test("text typed or deleted at the end of a list, a keystroke at a time, reads exactly as a fresh parse", () => {
    // A list's last items have no next item to read them up to: yaml reads them in a context of
    // their own, up to the line that closes the list (see yamlTail). Typed: a rule, an item, or
    // YAML's own characters (bare dashes, colons, quotes, brackets, comments, tabs, anchors).
    const realistic = renderMailpolicy(generateBenchPolicy(60));
    const characters = [..."-  :fa\n#[]'\"{},x1+?\t*&|>"];
    let lastItems = 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        const r = new Rng(seed);
        const text = r.next() < 0.3 ? realistic : render(r, randomTree(r));
        // Mostly at the column of the list's dashes, as a new item is typed.
        const end = r.pick(listEnds(text));
        const at = end.at;
        const indent = r.next() < 0.8 ? end.indent : r.int(0, 8);
        const pad = " ".repeat(indent);
        const roll = r.next();
        let piece = pad;
        if (roll < 0.35) piece = `${pad}- allow: imaps\n${pad}  from: any\n`;
        else if (roll < 0.5) piece = `${pad}- ${r.pick(["25", "imap", "+1", "'x'", "[a, b]", ""])}\n`;
        else for (let k = r.int(1, 16); k > 0; k--) piece += r.pick(characters);
        const deleting = r.next() < 0.2;
        const typed = (n: number) => `${text.slice(0, at)}${piece.slice(0, n)}${text.slice(at)}`;
        // As in the editor, each keystroke is compared with the latest text the scanner read whole.
        let latest = typed(deleting ? piece.length : 0);
        forgetRuleReadings();
        parsePolicy(latest);
        for (let n = 1; n <= piece.length; n++) {
          const edited = typed(deleting ? piece.length - n : n);
          parseBothWays(edited);
          if (lastTail) lastItems++;
          latest = editorState(latest, edited);
        }
      }),
      { seed: SEED, numRuns: 60 },
    );
    // Over fifteen seeds, 23 to 133 keystrokes were read with yaml in their list's last items
    // (a few runs type many); none are without that reader.
    assert.ok(lastItems > 10, `only ${lastItems} keystrokes read by yaml alone in the last items of a list`);
  });

  test("a rule typed at the end of a list never sends the whole file to yaml, and reads yaml's error in place", () => {
    const text = renderMailpolicy(generateBenchPolicy(200));
    const at = text.indexOf("\n\noutbound:") + 1;
    const typed = "    - allow: imaps\n      from: any\n";
    const loads: string[] = [];
    let latest = text;
    forgetRuleReadings();
    parsePolicy(text);
    for (let n = 1; n <= typed.length; n++) {
      const edited = `${text.slice(0, at)}${typed.slice(0, n)}${text.slice(at)}`;
      const { reused } = parseBothWays(edited);
      loads.push(lastTail ? "tail" : lastLoad!);
      if (typed.slice(0, n).endsWith("\n      fr")) {
        const errors = reused.diagnostics.filter((d) => d.code === "yaml.syntax");
        assert.ok(errors.length > 0);
        assert.ok(errors.every((d) => d.range.start >= at && d.range.end <= at + n + 1));
      }
      latest = editorState(latest, edited);
    }
    assert.ok(!loads.includes("yaml"), loads.join(" "));
    // The bare `-` and `- `, and `f` to `from` before the colon.
    assert.equal(loads.filter((l) => l === "tail").length, 6, loads.join(" "));
  });

  test("a comment line among a list's last items, or an item running on past them, sends the file to yaml", () => {
    const text = renderMailpolicy(generateBenchPolicy(50));
    const at = text.indexOf("\n\noutbound:") + 1;
    for (const typed of ["      # why\n      f\n", "    - allow: imaps\n      note: [a,\n"]) {
      forgetRuleReadings();
      parsePolicy(text);
      parseBothWays(`${text.slice(0, at)}${typed}${text.slice(at)}`);
      assert.equal(lastLoad, "yaml", typed);
    }
  });

  test("a key typed before its colon is read by yaml alone in its rule, with yaml's error", () => {
    const text = renderMailpolicy(generateBenchPolicy(200));
    forgetRuleReadings();
    parsePolicy(text);
    const at = text.indexOf("      note: ", text.length >> 1);
    const { reused } = parseBothWays(`${text.slice(0, at)}      fr\n${text.slice(at)}`);
    assert.equal(lastLoad, "mixed");
    const errors = reused.diagnostics.filter((d) => d.code === "yaml.syntax");
    assert.deepEqual(
      errors.map((d) => [d.message, d.range.start >= at && d.range.end <= at + 40]),
      [["YAML syntax error: Implicit keys need to be on a single line", true]],
    );
  });

  test("a flow collection typed into a rule and left open leaves yaml reading the next rules otherwise", () => {
    // `{ ?` is ended by the next rule's lower indentation, with errors only where it is typed; but
    // yaml then reads the next rule's keys as one multi-line key, and the rules after it too.
    const text = renderMailpolicy(generateBenchPolicy(50));
    for (const typed of ["      { ?\n", "      [a,\n", "      ? [\n"]) {
      forgetRuleReadings();
      parsePolicy(text);
      const at = text.indexOf("\n    - ", text.length >> 1) + 1;
      parseBothWays(`${text.slice(0, at)}${typed}${text.slice(at)}`);
    }
  });

  test("an unclosed quote typed into a rule runs on past it: the whole file is read by yaml", () => {
    const text = renderMailpolicy(generateBenchPolicy(200));
    forgetRuleReadings();
    parsePolicy(text);
    const at = text.indexOf("note: ", text.length >> 1) + "note: ".length;
    parseBothWays(`${text.slice(0, at)}"${text.slice(at)}`);
    assert.equal(lastLoad, "yaml");
  });

  test("a one-character edit in one rule reads that rule again and keeps the others as they are", () => {
    const text = renderMailpolicy(generateBenchPolicy(200));
    forgetRuleReadings();
    const before = parsePolicy(text).policy;
    const at = text.indexOf("/tcp\n") - 1;
    const edited = `${text.slice(0, at)}${text[at] === "1" ? "2" : "1"}${text.slice(at + 1)}`;
    const { reused, counts } = parseBothWays(edited);
    assert.equal(counts.read, 1);
    assert.equal(counts.moved, 0);
    assert.equal(counts.kept + counts.read, 200);
    // Kept means the same objects: whatever was worked out for them stays.
    const same = reused.policy.inbound.rules.filter((rule, i) => rule === before.inbound.rules[i]).length;
    assert.equal(same, before.inbound.rules.length - 1);
  });

  test("a line typed above the rules moves every rule, each sharing its match boxes with the one it came from", () => {
    const text = renderMailpolicy(generateBenchPolicy(50));
    forgetRuleReadings();
    const before = parsePolicy(text).policy;
    const edited = text.replace("\ninbound:", "\n# a comment typed here\ninbound:");
    const { reused, counts } = parseBothWays(edited);
    assert.equal(counts.read, 0);
    assert.equal(counts.moved, 50);
    const moved = reused.policy.inbound.rules[7];
    const original = before.inbound.rules[7];
    assert.notEqual(moved, original);
    assert.equal(moved.range.start, original.range.start + "# a comment typed here\n".length);
    assert.equal(contentKey(moved), original);
    assert.equal(ruleBoxes(moved), ruleBoxes(original));
  });

  test("a line break typed into a rule's indentation reads the rule again at its new column", () => {
    // Found by the random edits (seed 1994071223). The rest of the line is the same text, and a
    // later one, but its key is now two columns left of the lines below it, which become its value.
    const before = [
      "mailpolicy: 1",
      "inbound:",
      "  default: drop",
      "  rules:",
      "        - acknowledge:",
      "          deny: smtp",
      "",
    ];
    const after = [...before.slice(0, 4), " ", "      - acknowledge:", ...before.slice(5)];
    forgetRuleReadings();
    const first = parsePolicy(before.join("\n"));
    assert.equal(first.policy.inbound.rules[0]?.action, "deny");
    assert.equal(yamlPath.last, "fast");
    const { fresh, counts } = parseBothWays(after.join("\n"));
    assert.equal(yamlPath.last, "fast");
    assert.deepEqual(fresh.policy.inbound.rules, []);
    assert.ok(fresh.diagnostics.some((d) => d.code === "schema.required"));
    assert.equal(counts.read, 1);
  });

  test("a changed source reads every rule again (a rule naming it means something else)", () => {
    const text = renderMailpolicy(generateBenchPolicy(50));
    forgetRuleReadings();
    parsePolicy(text);
    // g0000's first network, one octet on: still valid YAML, and still a fast-path text.
    const edited = text.replace(
      /(\n {2}g0000: \[?)(\d+)\./,
      (_, head, octet) => `${head}${(Number(octet) + 1) % 256}.`,
    );
    assert.notEqual(edited, text);
    const { counts } = parseBothWays(edited);
    // As from nothing: only a rule written twice in this text is taken from its twin.
    assert.deepEqual(counts, { ...ruleReadings });
    assert.ok(counts.read > 45);
  });

  test("a text only yaml reads (an alias) neither uses nor keeps readings", () => {
    const text = [
      "mailpolicy: 1",
      "sources:",
      "  office: &office 203.0.113.0/24",
      "inbound:",
      "  rules:",
      "    - allow: imaps",
      "      from: *office",
      "",
    ].join("\n");
    forgetRuleReadings();
    parsePolicy(text);
    const { counts } = parseBothWays(text);
    assert.deepEqual(counts, { read: 1, moved: 0, kept: 0 });
  });
});

/**
 * Where block lists end, with the column of their dashes: line starts after a
 * list's last item, and the text's end when a list is open there.
 */
function listEnds(text: string): { at: number; indent: number }[] {
  const ends: { at: number; indent: number }[] = [];
  let dash = -1;
  for (let line = 0; line < text.length; ) {
    const nl = text.indexOf("\n", line);
    const next = nl < 0 ? text.length : nl + 1;
    const indent = lineIndent(text, line);
    const content = text.slice(line + indent, nl < 0 ? text.length : nl);
    if (content !== "" && !content.startsWith("#")) {
      const item = content === "-" || content.startsWith("- ");
      if (dash >= 0 && (indent < dash || (indent === dash && !item))) ends.push({ at: line, indent: dash });
      if (item) dash = indent;
      else if (dash >= 0 && indent <= dash) dash = -1;
    }
    line = next;
  }
  if (dash >= 0) ends.push({ at: text.length, indent: dash });
  return ends.length > 0 ? ends : [{ at: text.length, indent: 0 }];
}
/** How many spaces start the line at `line`. */
function lineIndent(text: string, line: number): number {
  let c = line;
  while (text[c] === " ") c++;
  return c - line;
}
