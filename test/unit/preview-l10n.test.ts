import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";

const ROOT = path.resolve(__dirname, "..", "..");
const DIRS = ["src/extension/preview", "src/extension/commands"];

/** Every string literal passed to `l10n.t(...)` (or to `t(...)` in the pure helpers). */
function messages(): Set<string> {
  const found = new Set<string>();
  for (const dir of DIRS) {
    for (const file of readdirSync(path.join(ROOT, dir))) {
      const text = readFileSync(path.join(ROOT, dir, file), "utf8");
      for (const m of text.matchAll(/\bt\(\s*"((?:[^"\\]|\\.)*)"/g)) found.add(JSON.parse(`"${m[1]}"`));
    }
  }
  return found;
}

test("every preview and command UI string has a Simplified Chinese translation", () => {
  const bundle = JSON.parse(readFileSync(path.join(ROOT, "l10n", "bundle.l10n.zh-cn.json"), "utf8"));
  const all = messages();
  assert.ok(all.size > 40, `found only ${all.size} strings: the scan is broken`);
  const missing = [...all].filter((m) => typeof bundle[m] !== "string" || bundle[m].trim() === "");
  assert.deepEqual(missing, []);
});

test("every placeholder of a message survives its translation", () => {
  const bundle = JSON.parse(readFileSync(path.join(ROOT, "l10n", "bundle.l10n.zh-cn.json"), "utf8"));
  for (const m of messages()) {
    const holes = (s: string) => (s.match(/\{\d+\}|\$\([\w-]+\)/g) ?? []).sort();
    assert.deepEqual(holes(bundle[m] ?? ""), holes(m), m);
  }
});

test("every command title of the preview and the commands has an English and a Chinese text", () => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));
  const en = JSON.parse(readFileSync(path.join(ROOT, "package.nls.json"), "utf8"));
  const zh = JSON.parse(readFileSync(path.join(ROOT, "package.nls.zh-cn.json"), "utf8"));
  const keys = (pkg.contributes.commands as { title: string; category?: string }[]).flatMap((c) =>
    [c.title, c.category].filter((k): k is string => !!k).map((k) => k.replace(/^%|%$/g, "")),
  );
  assert.ok(keys.length >= 8);
  for (const key of keys) {
    assert.equal(typeof en[key], "string", `package.nls.json: ${key}`);
    assert.equal(typeof zh[key], "string", `package.nls.zh-cn.json: ${key}`);
  }
});
