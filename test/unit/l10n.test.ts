/**
 * Every UI text has its Simplified Chinese translation: each `vscode.l10n.t`
 * string in the extension has an entry in l10n/bundle.l10n.zh-cn.json, and each
 * package.nls.json key (settings, commands) one in package.nls.zh-cn.json.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";

const ROOT = path.resolve(__dirname, "..", "..");
const readJson = (file: string): Record<string, unknown> => JSON.parse(readFileSync(path.join(ROOT, file), "utf8"));

/** The message of every `vscode.l10n.t("...")` / `l10n.t('...')` call under src/extension. */
function l10nStrings(): Map<string, string> {
  const dir = path.join(ROOT, "src", "extension");
  const found = new Map<string, string>();
  const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
  for (const file of files) {
    const source = readFileSync(path.join(dir, file), "utf8");
    for (const m of source.matchAll(/\bl10n\.t\(\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')/g)) {
      const literal = m[1].startsWith("'") ? `"${m[1].slice(1, -1).replace(/"/g, '\\"')}"` : m[1];
      found.set(JSON.parse(literal), file);
    }
  }
  return found;
}

describe("Simplified Chinese translations", () => {
  test("the extension's l10n.t strings are found", () => {
    assert.ok(l10nStrings().size >= 5);
  });

  test("every l10n.t string has a zh-cn entry", () => {
    const bundle = readJson(path.join("l10n", "bundle.l10n.zh-cn.json"));
    const missing = [...l10nStrings()].filter(([s]) => typeof bundle[s] !== "string").map(([s, f]) => `${f}: ${s}`);
    assert.deepEqual(missing, []);
  });

  test("zh-cn entries keep the placeholders of the English text", () => {
    const bundle = readJson(path.join("l10n", "bundle.l10n.zh-cn.json"));
    for (const [en, zh] of Object.entries(bundle)) {
      const holes = (s: string) => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();
      assert.deepEqual(holes(String(zh)), holes(en), en);
    }
  });

  test("every package.nls.json key has a zh-cn entry", () => {
    const en = readJson("package.nls.json");
    const zh = readJson("package.nls.zh-cn.json");
    assert.deepEqual(
      Object.keys(en).filter((k) => typeof zh[k] !== "string"),
      [],
    );
  });

  test("every %key% in package.json is defined in package.nls.json", () => {
    const en = readJson("package.nls.json");
    const used = [...readFileSync(path.join(ROOT, "package.json"), "utf8").matchAll(/"%([\w.-]+)%"/g)].map((m) => m[1]);
    assert.ok(used.length > 0);
    assert.deepEqual(
      used.filter((k) => typeof en[k] !== "string"),
      [],
    );
  });
});
