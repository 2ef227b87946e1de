/**
 * The `mailpolicy` command, run as built (`node dist/cli.js ...`): every verb, every
 * output format, the exit statuses and its answers to hostile input. One file, so the
 * CLI is built once per run.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, test } from "node:test";
import { version } from "../../package.json";
import { checkPolicy, configuredTargets } from "../../src/core/check";
import { DEFAULT_SEVERITY, DIAGNOSTIC_CODES } from "../../src/core/diagnostics";
import { displayWidth } from "../../src/core/format";
import { generateTarget } from "../../src/core/generate/index";
import { assertOneLineFailure, BROKEN, CJK, cli, example, exampleText, useCli } from "./cli-support";

const scratch = useCli();
const write = scratch.write;

describe("help and version", () => {
  test("--help and -h print the commands and exit 0", () => {
    for (const flag of ["--help", "-h"]) {
      const r = cli([flag]);
      assert.equal(r.status, 0);
      assert.match(r.stdout, /^Usage: mailpolicy/);
      for (const verb of ["check", "generate", "preview", "explain"]) assert.ok(r.stdout.includes(verb));
    }
  });

  test("help VERB and VERB --help print that command's usage", () => {
    assert.match(cli(["help", "generate"]).stdout, /^Usage: mailpolicy generate FILE --target/);
    assert.match(cli(["preview", "--help"]).stdout, /^Usage: mailpolicy preview FILE/);
  });

  test("--version prints the package version", () => {
    const r = cli(["--version"]);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, `${version}\n`);
  });

  test("no command is bad usage (exit 2) with the usage on stderr", () => {
    const r = cli([]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^mailpolicy: no command given/);
    assert.match(r.stderr, /Usage: mailpolicy/);
  });

  test("help in Chinese with --lang zh-cn or a zh locale", () => {
    assert.match(cli(["--help", "--lang", "zh-cn"]).stdout, CJK);
    assert.match(cli(["--help"], { env: { LANG: "zh_CN.UTF-8" } }).stdout, CJK);
    assert.match(cli(["--help"], { env: { LC_ALL: "zh_CN.UTF-8", LANG: "en_US.UTF-8" } }).stdout, CJK);
    assert.doesNotMatch(cli(["--help", "--lang", "en"], { env: { LANG: "zh_CN.UTF-8" } }).stdout, CJK);
  });
});

describe("check", () => {
  test("a clean policy exits 0 and prints file:line:col severity code message lines", () => {
    const r = cli(["check", example]);
    assert.equal(r.status, 0, r.stderr);
    for (const line of r.stdout.split("\n").filter(Boolean)) {
      assert.match(line, /^examples\/mx1\.mailpolicy\.yaml:\d+:\d+ (error|warning|info|hint) [a-z]+\.[a-z-]+ \S/);
    }
  });

  test("a policy with errors exits 1 and points at the value", () => {
    const file = write("broken.mailpolicy.yaml", BROKEN);
    const r = cli(["check", file]);
    assert.equal(r.status, 1);
    assert.ok(r.stdout.includes(`${file}:5:14 error port.unknown-service `), r.stdout);
  });

  test("--format json has exactly the documented shape", () => {
    const file = write("broken-json.mailpolicy.yaml", BROKEN);
    const r = cli(["check", file, example, "--format", "json"]);
    assert.equal(r.status, 1);
    const report = JSON.parse(r.stdout);
    assert.ok(Array.isArray(report));
    assert.deepEqual(
      report.map((f: { file: string }) => f.file),
      [file, example],
    );
    for (const entry of report) {
      assert.deepEqual(Object.keys(entry), ["file", "diagnostics"]);
      for (const d of entry.diagnostics) {
        assert.deepEqual(Object.keys(d), ["code", "severity", "message", "line", "column", "endLine", "endColumn"]);
        assert.ok(["error", "warning", "info", "hint"].includes(d.severity));
      }
    }
    const unknown = report[0].diagnostics.find((d: { code: string }) => d.code === "port.unknown-service");
    assert.deepEqual(
      { line: unknown.line, column: unknown.column, endLine: unknown.endLine, endColumn: unknown.endColumn },
      { line: 5, column: 14, endLine: 5, endColumn: 19 },
    );
  });

  test("--format sarif is SARIF 2.1.0 with a rule per code and 1-based regions", () => {
    const file = write("broken-sarif.mailpolicy.yaml", BROKEN);
    const r = cli(["check", file, example, "--format", "sarif"]);
    assert.equal(r.status, 1);
    const log = JSON.parse(r.stdout);
    assert.equal(log.version, "2.1.0");
    assert.match(log.$schema, /sarif-2\.1\.0/);
    assert.equal(log.runs.length, 1);
    const run = log.runs[0];
    assert.equal(run.tool.driver.name, "mailpolicy");
    assert.deepEqual(
      run.tool.driver.rules.map((rule: { id: string }) => rule.id),
      DIAGNOSTIC_CODES,
    );
    for (const rule of run.tool.driver.rules) {
      const expected = { error: "error", warning: "warning", info: "note" }[DEFAULT_SEVERITY[rule.id as "yaml.syntax"]];
      assert.equal(rule.defaultConfiguration.level, expected, rule.id);
      assert.ok(rule.shortDescription.text.length > 0);
    }
    assert.ok(run.results.length > 0);
    for (const result of run.results) {
      assert.ok(DIAGNOSTIC_CODES.includes(result.ruleId));
      assert.equal(run.tool.driver.rules[result.ruleIndex].id, result.ruleId);
      assert.ok(["error", "warning", "note"].includes(result.level), result.level);
      assert.equal(typeof result.message.text, "string");
      const { artifactLocation, region } = result.locations[0].physicalLocation;
      assert.ok([file, example].some((f) => artifactLocation.uri.endsWith(f.replaceAll(path.sep, "/"))));
      for (const key of ["startLine", "startColumn", "endLine", "endColumn"]) assert.ok(region[key] >= 1, key);
    }
    const unknown = run.results.find((x: { ruleId: string }) => x.ruleId === "port.unknown-service");
    assert.equal(unknown.level, "error");
    assert.deepEqual(unknown.locations[0].physicalLocation.region, {
      startLine: 5,
      startColumn: 14,
      endLine: 5,
      endColumn: 19,
    });
    // The example acknowledges plaintext POP3: a hint, which SARIF calls a note.
    const acknowledged = run.results.find(
      (x: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
        x.ruleId === "security.plaintext-access" && x.locations[0].physicalLocation.artifactLocation.uri === example,
    );
    assert.equal(acknowledged.level, "note");
  });

  test("--lang zh-cn gives Chinese messages", () => {
    const file = write("broken-zh.mailpolicy.yaml", BROKEN);
    const r = cli(["check", file, "--lang", "zh-cn"]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, CJK);
    assert.match(cli(["check", file], { env: { LANG: "zh_CN.UTF-8" } }).stdout, CJK);
  });

  test("an unreadable file among others exits 2 and the others are still reported", () => {
    const file = write("broken-mixed.mailpolicy.yaml", BROKEN);
    const r = cli(["check", file, "missing.mailpolicy.yaml"]);
    assert.equal(r.status, 2);
    assert.ok(r.stdout.includes("port.unknown-service"));
    assert.match(r.stderr, /^mailpolicy: cannot read missing\.mailpolicy\.yaml: no such file/);
  });

  test("- reads the policy from standard input", () => {
    const r = cli(["check", "-", "--format", "json"], { input: BROKEN });
    assert.equal(r.status, 1);
    assert.equal(JSON.parse(r.stdout)[0].file, "<stdin>");
  });

  test("terminal escapes written in a policy are printed escaped", () => {
    const file = write("escape.mailpolicy.yaml", BROKEN.replace("imapz", '"\\e[2Jimapz"'));
    const r = cli(["check", file]);
    assert.equal(r.status, 1);
    assert.ok(!r.stdout.includes("\u001b"), r.stdout);
    assert.ok(r.stdout.includes("\\u001b"), r.stdout);
  });
});

describe("unreadable input and bad usage: one line, exit 2, no stack trace", () => {
  const cases: [string, () => string[], RegExp][] = [
    ["a missing file", () => ["check", "nope.mailpolicy.yaml"], /no such file/],
    ["a directory", () => ["check", scratch.dir()], /is a directory/],
    ["a binary file", () => ["check", write("bin.yaml", new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]))], /binary/],
    [
      "a 20 MB file",
      () => {
        const file = path.join(scratch.dir(), "huge.yaml");
        fs.writeFileSync(file, "");
        fs.truncateSync(file, 20 * 1024 * 1024);
        return ["check", file];
      },
      /20\.0 MB.*limited to 16\.0 MB/,
    ],
    [
      "invalid UTF-8",
      () => ["check", write("latin1.yaml", new Uint8Array([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x0a, 0x20, 0xe9, 0x0a]))],
      /invalid UTF-8 on line 2/,
    ],
    ["UTF-16", () => ["check", write("utf16.yaml", new Uint8Array([0xff, 0xfe, 0x6d, 0x00]))], /UTF-16/],
    ["an unknown flag", () => ["check", example, "--frobnicate"], /unknown option --frobnicate/],
    ["a missing flag value", () => ["check", example, "--format"], /--format needs a value/],
    ["a bad flag value", () => ["check", example, "--format", "xml"], /text, json, sarif/],
    ["a flag of another command", () => ["check", example, "--target", "aws"], /--target does not apply to "check"/],
    ["an unknown command", () => ["frobnicate"], /unknown command "frobnicate"/],
    ["a misspelt command", () => ["chekc", example], /did you mean "check"\?/],
    ["a misspelt option", () => ["generate", example, "--taget", "aws"], /did you mean --target\?/],
    ["a format guessed as a flag", () => ["check", example, "--json"], /did you mean --format json\?/],
    ["check without files", () => ["check"], /at least one FILE/],
    ["a bad --width", () => ["preview", example, "--width", "ten"], /--width "ten"/],
    ["a bad --lang", () => ["check", example, "--lang", "fr"], /en, zh-cn/],
    ["generate without --target", () => ["generate", example], /--target/],
    ["generate all without --out", () => ["generate", example, "--target", "all"], /--out DIR/],
    ["explain of an unknown name", () => ["explain", "nosuchservice"], /no documentation for "nosuchservice"/],
    ["explain without a query", () => ["explain"], /PORT or SERVICE/],
  ];
  for (const [name, args, pattern] of cases) {
    test(name, () => assertOneLineFailure(cli(args()), pattern));
  }

  test("in Chinese too", () => {
    const r = cli(["check", "nope.mailpolicy.yaml", "--lang", "zh-cn"]);
    assertOneLineFailure(r, CJK);
    assertOneLineFailure(cli(["check", "--frobnicate"], { env: { LANG: "zh_CN.UTF-8" } }), CJK);
  });
});

describe("explain", () => {
  test("prints a port's documentation as plain text", () => {
    const r = cli(["explain", "993"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /imaps/);
    assert.match(r.stdout, /RFC 8314/);
    assert.doesNotMatch(r.stdout, /\*\*|`|^#/m);
  });

  test("accepts service names and answers in Chinese", () => {
    const r = cli(["explain", "submissions", "--lang", "zh-cn"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /465/);
    assert.match(r.stdout, CJK);
  });
});

describe("generate", () => {
  const policy = checkPolicy(exampleText, { lang: "en" }).policy;

  test("one target goes to stdout, byte-identical to the core's output", () => {
    for (const target of ["iptables", "ip6tables", "aliyun", "aws"] as const) {
      const r = cli(["generate", example, "--target", target]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, generateTarget(policy, target, "en").text, target);
    }
  });

  test("--target all --out DIR writes every configured target", () => {
    const dir = path.join(scratch.dir(), "out-all");
    const r = cli(["generate", example, "--target", "all", "--out", dir]);
    assert.equal(r.status, 0, r.stderr);
    const expected = configuredTargets(policy).map((t) => generateTarget(policy, t, "en"));
    assert.deepEqual(fs.readdirSync(dir).sort(), expected.map((o) => o.fileName).sort());
    for (const o of expected) assert.equal(fs.readFileSync(path.join(dir, o.fileName), "utf8"), o.text);
  });

  test("one target with --out writes only its file", () => {
    const dir = path.join(scratch.dir(), "out-one");
    const r = cli(["generate", example, "--target", "aws", "--out", dir]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(fs.readdirSync(dir), [generateTarget(policy, "aws", "en").fileName]);
  });

  /** A directory holding an earlier run's files, each containing "previous". */
  function previousRun(name: string): string {
    const dir = path.join(scratch.dir(), name);
    fs.mkdirSync(dir);
    for (const t of configuredTargets(policy))
      fs.writeFileSync(path.join(dir, generateTarget(policy, t).fileName), "previous");
    return dir;
  }

  function assertUntouched(dir: string): void {
    for (const name of fs.readdirSync(dir)) {
      assert.ok(!name.endsWith(".tmp"), `temporary file left: ${name}`);
      const file = path.join(dir, name);
      if (fs.statSync(file).isFile()) assert.equal(fs.readFileSync(file, "utf8"), "previous", name);
    }
  }

  test("a policy with errors is refused: exit 1, errors on stderr, nothing written", () => {
    const dir = previousRun("out-refused");
    const file = write("broken-gen.mailpolicy.yaml", BROKEN);
    const r = cli(["generate", file, "--target", "all", "--out", dir]);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, "");
    assert.ok(r.stderr.includes(`${file}:5:14 error port.unknown-service`), r.stderr);
    assert.match(r.stderr, /nothing was generated/);
    assertUntouched(dir);
    assert.equal(cli(["generate", file, "--target", "iptables"]).stdout, "");
  });

  test("a destination that cannot be replaced leaves every previous file intact", () => {
    const dir = previousRun("out-blocked");
    const blocked = path.join(dir, generateTarget(policy, "aws").fileName);
    fs.rmSync(blocked);
    fs.mkdirSync(blocked);
    const r = cli(["generate", example, "--target", "all", "--out", dir]);
    assertOneLineFailure(r, /cannot replace .*aws-security-group\.json/);
    assertUntouched(dir);
  });

  test("--out naming a file is refused with one line", () => {
    const file = write("not-a-dir", "previous");
    assertOneLineFailure(cli(["generate", example, "--target", "aws", "--out", file]), /not a directory/);
    assert.equal(fs.readFileSync(file, "utf8"), "previous");
  });

  test("a read-only directory leaves every previous file intact", (t) => {
    if (process.getuid?.() === 0) return t.skip("root writes into read-only directories");
    const dir = previousRun("out-readonly");
    fs.chmodSync(dir, 0o555);
    try {
      assertOneLineFailure(cli(["generate", example, "--target", "all", "--out", dir]), /cannot write/);
      assertUntouched(dir);
    } finally {
      fs.chmodSync(dir, 0o755);
    }
  });

  test("warnings from a target go to stderr, the output stays clean", () => {
    const file = write(
      "warn.mailpolicy.yaml",
      `${exampleText.replace("note: node_exporter", "note: 监控 node_exporter")}`,
    );
    const r = cli(["generate", file, "--target", "aws"]);
    assert.equal(r.status, 0, r.stderr);
    JSON.parse(r.stdout);
    assert.match(r.stderr, /target\.description/);
  });
});

describe("preview", () => {
  /** The rows of the side-by-side table: from the header row on. */
  function table(stdout: string): string[] {
    const rows = stdout.replace(/\n$/, "").split("\n");
    return rows.slice(rows.findIndex((r) => r.startsWith("iptables-save: rules.v4")));
  }

  test("shows iptables-save (IPv4 and IPv6) beside the Alibaba Cloud group, within --width", () => {
    const r = cli(["preview", example, "--width", "100"]);
    assert.equal(r.status, 0, r.stderr);
    const rows = table(r.stdout);
    assert.match(rows[0], /│ Alibaba Cloud security group/);
    assert.ok(
      rows.slice(1, 3).some((row) => /^─+┼─+$/.test(row)),
      "a rule under the headers",
    );
    assert.ok(rows.some((row) => row.startsWith("ip6tables-save: rules.v6")));
    assert.ok(rows.some((row) => row.includes('"SecurityGroupId": "sg-bp1example"')));
    for (const row of rows) assert.ok(displayWidth(row) <= 100, row);
    assert.ok(
      rows.some((row) => row.includes("↪")),
      "long lines are wrapped",
    );
  });

  test("--cloud aws shows the AWS group; without a terminal the width is 120", () => {
    const r = cli(["preview", example, "--cloud", "aws"]);
    assert.equal(r.status, 0, r.stderr);
    const rows = table(r.stdout);
    assert.match(rows[0], /│ AWS security group/);
    assert.ok(rows.some((row) => row.includes('"GroupId": "sg-0123456789abcdef0"')));
    for (const row of rows) assert.ok(displayWidth(row) <= 120, row);
    assert.ok(
      rows.some((row) => displayWidth(row) > 100),
      "uses the width it has",
    );
  });

  test("headers are in Chinese with --lang zh-cn", () => {
    const r = cli(["preview", example, "--lang", "zh-cn"]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(table(r.stdout)[0], /阿里云安全组/);
  });

  test("a policy with errors prints them and no preview (exit 1)", () => {
    const file = write("broken-preview.mailpolicy.yaml", BROKEN);
    const r = cli(["preview", file]);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, "");
    assert.ok(r.stderr.includes(`${file}:5:14 error port.unknown-service`));
  });
});
