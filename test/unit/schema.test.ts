/**
 * The JSON Schema (for the YAML extension and other editors) agrees with the
 * checker: the examples are valid in both, and files the checker rejects for
 * their shape the schema rejects too. The settings in package.json cover every
 * diagnostic code with its default severity.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import Ajv from "ajv";
import { parse as parseYaml } from "yaml";
import { SERVICE_NAMES } from "../../src/core/catalog";
import { checkPolicy } from "../../src/core/check";
import { DEFAULT_SEVERITY, DIAGNOSTIC_CODES } from "../../src/core/diagnostics";
import { POLICY_KEYS } from "../../src/core/parse";

const ROOT = path.resolve(__dirname, "..", "..");
const schema = JSON.parse(readFileSync(path.join(ROOT, "schemas", "mailpolicy.schema.json"), "utf8"));
const validate = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(schema);
const TODAY = "2026-01-01";

function policyFiles(): string[] {
  const dirs = ["examples", path.join("test", "e2e", "fixtures")];
  return dirs.flatMap((dir) =>
    readdirSync(path.join(ROOT, dir))
      .filter((f) => /\.mailpolicy\.ya?ml$/.test(f))
      .map((f) => path.join(dir, f)),
  );
}

/** Policies the checker rejects for their shape: the schema must reject them too. */
const INVALID: Record<string, string> = {
  "version missing": "inbound:\n  default: drop\n",
  "version 2": "mailpolicy: 2\n",
  "misspelt top-level key": "mailpolicy: 1\ninbond:\n  default: drop\n",
  "misspelt rule key": "mailpolicy: 1\ninbound:\n  rules:\n    - allow: smtp\n      from: any\n      nots: x\n",
  "rule without from": "mailpolicy: 1\ninbound:\n  rules:\n    - allow: smtp\n",
  "outbound rule with from": "mailpolicy: 1\noutbound:\n  rules:\n    - allow: smtp\n      from: any\n",
  "two actions in a rule": "mailpolicy: 1\ninbound:\n  rules:\n    - allow: smtp\n      deny: imap\n      from: any\n",
  "unknown service": "mailpolicy: 1\ninbound:\n  rules:\n    - allow: imap4\n      from: any\n",
  "port out of range": "mailpolicy: 1\ninbound:\n  rules:\n    - allow: 70000\n      from: any\n",
  "default deny": "mailpolicy: 1\ninbound:\n  default: deny\n",
  "aliyun priority 101": "mailpolicy: 1\ntargets:\n  aliyun:\n    priority: 101\n",
  "unknown acknowledged code":
    "mailpolicy: 1\ninbound:\n  rules:\n    - allow: pop3\n      from: any\n      acknowledge: [security.plaintext]\n",
  "expires not a date":
    "mailpolicy: 1\ninbound:\n  rules:\n    - allow: smtp\n      from: any\n      expires: next year\n",
  "source named any": "mailpolicy: 1\nsources:\n  any: 10.0.0.0/8\n",
  "source not an address": "mailpolicy: 1\nsources:\n  office: [10.0.0.0/8, nowhere]\n",
};

describe("JSON Schema and checker agree", () => {
  for (const file of policyFiles()) {
    test(`${file} is valid for both`, () => {
      const text = readFileSync(path.join(ROOT, file), "utf8");
      const errors = checkPolicy(text, { today: TODAY }).diagnostics.filter((d) => d.severity === "error");
      assert.deepEqual(errors, []);
      assert.ok(validate(parseYaml(text)), JSON.stringify(validate.errors, null, 2));
    });
  }

  for (const [name, text] of Object.entries(INVALID)) {
    test(`${name}: rejected by both`, () => {
      assert.equal(checkPolicy(text, { today: TODAY }).hasErrors, true, "the checker accepts it");
      assert.equal(validate(parseYaml(text)), false, "the schema accepts it");
    });
  }
});

describe("JSON Schema follows the core's names", () => {
  test("service names are the catalog's", () => {
    assert.deepEqual([...schema.definitions.port.anyOf[2].enum].sort(), [...SERVICE_NAMES].sort());
  });

  test("acknowledge codes are the diagnostic codes", () => {
    assert.deepEqual(schema.definitions.code.enum, DIAGNOSTIC_CODES);
  });

  test("keys are the parser's", () => {
    const keys = (o: { properties: object }) => Object.keys(o.properties).sort();
    assert.deepEqual(keys(schema), [...POLICY_KEYS.top].sort());
    assert.deepEqual(keys(schema.properties.inbound), [...POLICY_KEYS.ruleSet].sort());
    assert.deepEqual(keys(schema.definitions.inboundRule), [...POLICY_KEYS.inboundRule].sort());
    assert.deepEqual(keys(schema.definitions.outboundRule), [...POLICY_KEYS.outboundRule].sort());
    assert.deepEqual(keys(schema.properties.targets), [...POLICY_KEYS.targets].sort());
    for (const target of ["iptables", "aliyun", "aws"] as const) {
      assert.deepEqual(keys(schema.properties.targets.properties[target]), [...POLICY_KEYS[target]].sort());
    }
  });
});

describe("severity settings in package.json", () => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));
  const setting = pkg.contributes.configuration.properties["mailpolicy.diagnostics.severity"];

  test("one entry per diagnostic code, documented with its default severity", () => {
    assert.deepEqual(Object.keys(setting.properties), DIAGNOSTIC_CODES);
    for (const code of DIAGNOSTIC_CODES) {
      assert.equal(setting.properties[code].default, DEFAULT_SEVERITY[code], code);
      assert.deepEqual(setting.properties[code].enum, ["error", "warning", "info", "hint", "off"], code);
    }
    // Only what the user sets may override the core: a default for every code would pin them all.
    assert.deepEqual(setting.default, {});
  });
});
