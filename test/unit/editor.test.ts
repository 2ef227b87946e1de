/**
 * The editor's pure helpers, without VS Code: where the cursor is in the YAML,
 * what a hover says, and how an `acknowledge` is added.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parsePolicy } from "../../src/core/parse";
import { acknowledgeEdit } from "../../src/extension/acknowledge";
import { describeCidr, iptablesHover, policyHover } from "../../src/extension/hoverText";
import { yamlContextAt } from "../../src/extension/yamlContext";
import { browserBundle } from "../support/browser-bundle";

/** Splits `text` at the `|` cursor marker. */
function cursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf("|");
  assert.ok(offset >= 0, "the test text needs a | cursor");
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}

describe("yamlContextAt", () => {
  test("a value after allow: inside inbound rules", () => {
    const { text, offset } = cursor("mailpolicy: 1\ninbound:\n  rules:\n    - allow: [smtp, im|\n");
    assert.deepEqual(yamlContextAt(text, offset), { path: ["inbound", "rules"], valueKey: "allow", word: "im" });
  });

  test("a key under a target", () => {
    const { text, offset } = cursor("targets:\n  aliyun:\n    regionId: cn-hangzhou\n    pri|\n");
    assert.deepEqual(yamlContextAt(text, offset), { path: ["targets", "aliyun"], word: "pri" });
  });

  test("a new rule key, after a sibling written on the item line", () => {
    const { text, offset } = cursor("outbound:\n  rules:\n    - allow: smtp\n      |\n");
    assert.deepEqual(yamlContextAt(text, offset), { path: ["outbound", "rules"], word: "" });
  });

  test("nothing inside a comment", () => {
    const { text, offset } = cursor("mailpolicy: 1 # smt|\n");
    assert.equal(yamlContextAt(text, offset), undefined);
  });
});

describe("hover texts", () => {
  const POLICY =
    "mailpolicy: 1\nsources:\n  office: 203.0.113.0/24\ninbound:\n  rules:\n    - allow: 993\n      from: office\n";

  test("a port number in a rule is documented in the chosen language", () => {
    const offset = POLICY.indexOf("993") + 1;
    const en = policyHover(POLICY, offset, "en");
    const zh = policyHover(POLICY, offset, "zh-cn");
    assert.match(en?.markdown ?? "", /imaps/);
    assert.match(zh?.markdown ?? "", /隐式 TLS/);
    assert.deepEqual(en?.range, { start: POLICY.indexOf("993"), end: POLICY.indexOf("993") + 3 });
  });

  test("a source name lists its addresses with their count", () => {
    const hover = policyHover(POLICY, POLICY.indexOf("office\n") + 2, "en");
    assert.match(hover?.markdown ?? "", /203\.0\.113\.0 – 203\.0\.113\.255 \(256 addresses\)/);
  });

  test("an IPv6 prefix too large to count is a power of two", () => {
    assert.match(describeCidr({ family: 6, address: "2001:db8::", prefix: 32 }, "en"), /2\^96 addresses/);
    assert.match(
      describeCidr({ family: 4, address: "10.0.0.7", prefix: 32 }, "zh-cn"),
      /`10\.0\.0\.7\/32`: 10\.0\.0\.7 \(1 个地址\)/,
    );
  });

  test("iptables: the item of a --dports list under the cursor", () => {
    const line = "-A INPUT -p tcp -m multiport --dports 25,110,995 -j ACCEPT";
    const hover = iptablesHover(line, line.indexOf("110") + 1, "en");
    assert.match(hover?.markdown ?? "", /pop3/);
    assert.deepEqual(hover?.range, { start: line.indexOf("110"), end: line.indexOf("110") + 3 });
    assert.equal(iptablesHover(line, line.indexOf("INPUT"), "en"), undefined);
  });
});

describe("acknowledgeEdit", () => {
  const apply = (text: string, code: string) => {
    const rule = parsePolicy(text).policy.inbound.rules[0];
    const edit = acknowledgeEdit(text, rule, code);
    assert.ok(edit);
    return text.slice(0, edit.offset) + edit.insert + text.slice(edit.end);
  };
  const head = "mailpolicy: 1\ninbound:\n  rules:\n";

  test("adds a flow list after the rule's last key", () => {
    const text = `${head}    - allow: pop3\n      from: any\n    - allow: ssh\n      from: any\n`;
    assert.equal(
      apply(text, "security.plaintext-access"),
      `${head}    - allow: pop3\n      from: any\n      acknowledge: [security.plaintext-access]\n    - allow: ssh\n      from: any\n`,
    );
  });

  test("appends to a block list in its own style", () => {
    const text = `${head}    - allow: pop3\n      acknowledge:\n        - rule.shadowed\n      from: any\n`;
    assert.equal(
      apply(text, "security.plaintext-access"),
      `${head}    - allow: pop3\n      acknowledge:\n        - rule.shadowed\n        - security.plaintext-access\n      from: any\n`,
    );
  });

  test("turns a single code into a list", () => {
    const text = `${head}    - allow: pop3\n      from: any\n      acknowledge: rule.shadowed\n`;
    assert.match(
      apply(text, "security.plaintext-access"),
      /acknowledge: \[rule\.shadowed, security\.plaintext-access\]\n$/,
    );
  });

  test("leaves flow-mapping rules alone", () => {
    const text = `${head}    - {allow: pop3, from: any}\n`;
    assert.equal(acknowledgeEdit(text, parsePolicy(text).policy.inbound.rules[0], "rule.shadowed"), undefined);
  });
});

describe("browser build (vscode.dev)", () => {
  test("the extension bundles for the browser needing nothing but vscode", () => {
    // The same options as the project's browser build: a Node-only import fails right here.
    const out = browserBundle("src/extension/extension.ts");
    const required = new Set([...out.matchAll(/\brequire\(\s*"([^"]+)"\s*\)/g)].map((m) => m[1]));
    assert.deepEqual([...required], ["vscode"]);
    // Uses of Node globals (not a method that happens to be named `process`): they do not exist in a web worker.
    assert.doesNotMatch(out, /(?<![\w$.])(?:process|Buffer|__dirname|__filename)\s*[.([]/);
  });
});
