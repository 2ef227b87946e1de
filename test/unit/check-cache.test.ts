/**
 * The extension's check cache (src/extension/checkCache.ts), outside VS Code: it
 * is bundled with a stub `vscode` module that answers what it asks (the
 * severity settings and the display language). The documents are plain
 * objects with the fields a `TextDocument` gives it.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { CheckResult } from "../../src/core/check";
import { browserBundle } from "../support/browser-bundle";

interface FakeDocument {
  readonly uri: { toString(): string };
  readonly version: number;
  getText(): string;
}

type CheckCache = {
  checkDocument(document: FakeDocument): CheckResult;
  forgetDocument(document: FakeDocument): void;
};

function loadCheckCache(): CheckCache {
  // As the web build bundles it: nothing to require but vscode.
  const code = browserBundle("src/extension/checkCache.ts");
  // Stands in for VS Code: no severity settings, English (and the enum convert.ts maps to).
  const vscode = {
    workspace: { getConfiguration: () => ({ get: () => undefined }) },
    env: { language: "en" },
    DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
  };
  const module = { exports: {} as CheckCache };
  new Function("module", "exports", "require", code)(module, module.exports, (id: string) => {
    if (id === "vscode") return vscode;
    throw new Error(`the check cache should need nothing but vscode, not ${id}`);
  });
  return module.exports;
}

function document(uri: string, version: number, text: string): FakeDocument {
  return { uri: { toString: () => uri }, version, getText: () => text };
}

const POP3 =
  "mailpolicy: 1\ninbound:\n  rules:\n    - allow: pop3\n      from: any\n    - allow: ssh\n      from: 10.0.0.0/8\n";
const IMAPS =
  "mailpolicy: 1\ninbound:\n  rules:\n    - allow: imaps\n      from: any\n    - allow: ssh\n      from: 10.0.0.0/8\n";
const codes = (result: CheckResult) => result.diagnostics.map((d) => d.code);

test("the same document at the same version is checked once, and again at its next version", () => {
  const { checkDocument } = loadCheckCache();
  const edited = { uri: { toString: () => "untitled:Untitled-1" }, version: 1, text: POP3, getText: () => edited.text };
  const first = checkDocument(edited);
  assert.equal(checkDocument(edited), first);
  edited.version = 2;
  edited.text = IMAPS;
  assert.notEqual(checkDocument(edited), first);
  assert.deepEqual(codes(checkDocument(edited)), []);
});

test("a document opened again at the same name and version gets its own check, not the closed one's", () => {
  const { checkDocument, forgetDocument } = loadCheckCache();
  // An untitled name is given out again once its document is closed, and a reopened file
  // starts again at version 1. A call that lands after the close (a preview's pending update)
  // must not leave the closed document's check for the new one.
  const closed = document("untitled:Untitled-1", 1, POP3);
  assert.deepEqual(codes(checkDocument(closed)), ["security.plaintext-access"]);
  forgetDocument(closed);
  checkDocument(closed);
  const reopened = document("untitled:Untitled-1", 1, IMAPS);
  assert.deepEqual(codes(checkDocument(reopened)), []);
});
