/**
 * Snippets: every iptables rule they insert loads into the real iptables (in a
 * throw-away network namespace), and every policy skeleton checks without errors.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { checkPolicy } from "../../src/core/check";

interface Snippet {
  readonly prefix: string | string[];
  readonly body: string | string[];
  readonly description: string;
}

const ROOT = path.resolve(__dirname, "..", "..");
const load = (name: string): Record<string, Snippet> =>
  JSON.parse(readFileSync(path.join(ROOT, "snippets", `${name}.json`), "utf8"));
const bodyText = (s: Snippet) => (Array.isArray(s.body) ? s.body.join("\n") : s.body);

/**
 * The text a snippet inserts when the user accepts every default: `${1:x}` is x,
 * `${1|a,b|}` is a, `$1`/`${1}`/`$0` are empty, `\$` is `$`.
 */
function fillDefaults(body: string): string {
  let out = body;
  // Innermost placeholders first, so nested defaults resolve.
  for (let i = 0; i < 10 && /\$\{\d+:[^${}]*\}/.test(out); i++) out = out.replace(/\$\{\d+:([^${}]*)\}/g, "$1");
  return out
    .replace(/\$\{\d+\|([^,|]*)[^|]*\|\}/g, "$1")
    .replace(/\$\{\d+\}|\$\d+/g, "")
    .replace(/\\\$/g, "$");
}

/** A restore file around rule lines that use only the built-in chains. */
function filterTable(rules: string): string {
  if (/^\*filter/m.test(rules)) return `${rules}\n`;
  return `*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n${rules}\nCOMMIT\n`;
}

/** Why real iptables cannot run here, or undefined when it can. */
function iptablesUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return "not root: `unshare -n iptables-restore` needs root";
  for (const tool of ["unshare", "iptables-restore", "ip6tables-restore"]) {
    if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0) return `${tool} is not installed`;
  }
  return undefined;
}

const unavailable = iptablesUnavailable();
/** In CI the check must run; elsewhere it may be skipped, saying why. */
const skip = unavailable && !process.env.CI ? `real iptables unavailable (${unavailable})` : false;

function restoreTest(file: string, ipv6: boolean): { status: number | null; output: string } {
  const tool = ipv6 ? "ip6tables-restore" : "iptables-restore";
  const res = spawnSync("unshare", ["-n", tool, "--test"], { input: file, encoding: "utf8", timeout: 20_000 });
  return { status: res.status, output: `${res.stdout}${res.stderr}${res.error ?? ""}` };
}

describe("fillDefaults", () => {
  test("takes defaults and first choices and empties tab stops", () => {
    // Snippet syntax, not template literals: `$` + `{` keeps the linter from mistaking them.
    const $ = "$";
    assert.equal(fillDefaults(`-s ${$}{1:10.0.0.0/8} -j ${$}{2|DROP,ACCEPT|}$0`), "-s 10.0.0.0/8 -j DROP");
    assert.equal(fillDefaults(`a ${$}{1:b ${$}{2:c}} $1`), "a b c ");
  });
});

describe("iptables-save snippets", () => {
  const snippets = load("iptables");

  test("there are at least 8, each with a prefix and a description", () => {
    assert.ok(Object.keys(snippets).length >= 8);
    for (const [name, s] of Object.entries(snippets)) {
      assert.ok(s.prefix.length > 0 && s.description.length > 0, name);
    }
  });

  for (const [name, s] of Object.entries(snippets)) {
    test(`"${name}" loads into iptables-restore`, { skip }, () => {
      assert.equal(unavailable, undefined, `CI must run the iptables check: ${unavailable}`);
      const text = filterTable(fillDefaults(bodyText(s)).replace(/\n+$/, ""));
      const res = restoreTest(text, /icmpv6|ipv6-icmp/.test(text));
      assert.equal(res.status, 0, `${res.output}\n--- file ---\n${text}`);
    });
  }
});

describe("shell snippets", () => {
  const snippets = load("shell");

  test("cover saving and restoring", () => {
    const all = Object.values(snippets).map(bodyText).join("\n");
    assert.match(all, /iptables-save > \$\{1:\/etc\/iptables\/rules\.v4\}/);
    assert.match(all, /service iptables save/);
    assert.match(all, /iptables-restore/);
  });

  for (const [name, s] of Object.entries(snippets)) {
    const rules = fillDefaults(bodyText(s))
      .split("\n")
      .filter((l) => l.startsWith("iptables -A "))
      .map((l) => l.slice("iptables ".length));
    if (rules.length === 0) continue;
    test(`"${name}" commands load into iptables-restore`, { skip }, () => {
      assert.equal(unavailable, undefined, `CI must run the iptables check: ${unavailable}`);
      const res = restoreTest(filterTable(rules.join("\n")), false);
      assert.equal(res.status, 0, res.output);
    });
  }
});

describe("policy snippets", () => {
  for (const [name, s] of Object.entries(load("mailpolicy"))) {
    const text = fillDefaults(bodyText(s));
    if (!text.startsWith("mailpolicy:")) continue;
    test(`"${name}" is a policy without errors`, () => {
      const result = checkPolicy(text, { today: "2026-01-01" });
      const errors = result.diagnostics.filter((d) => d.severity === "error");
      assert.deepEqual(errors, [], text);
    });
  }
});
