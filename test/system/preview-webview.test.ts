/**
 * The preview's webview script in a real browser (headless Chromium), fed the
 * states the extension sends while a policy is edited: rules changed, added
 * and removed, notes, comments, errors and fixes, target switches. After each
 * update the page must show exactly the new outputs, line by line with their
 * rules, and must have made new elements only for the lines that changed.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { type Browser, chromium } from "playwright-core";
import { checkPolicy } from "../../src/core/check";
import type { TargetName } from "../../src/core/model";
import { lineChanges, outputLines, outputText } from "../../src/extension/preview/lineChanges";
import { previewStateOf, type SentOutputs, sentState } from "../../src/extension/preview/previewModel";
import type {
  CloudTarget,
  HostTarget,
  PreviewLabels,
  PreviewState,
  TargetView,
} from "../../src/extension/preview/protocol";
import { CHROMIUM, CHROMIUM_ARGS } from "../e2e/chromium";
import { openWebview } from "../e2e/webview-page";
import { REPO_ROOT } from "./support/policies";
import { Rng } from "./support/rng";

const SKIP = existsSync(CHROMIUM) ? false : `needs ${CHROMIUM} (apt-get install chromium)`;
const SEED = Number(process.env.MAILPOLICY_SEED ?? 20261204);

const HEADER = `mailpolicy: 1
name: webview.example.net
sources:
  office: [203.0.113.0/24, 2001:db8:10::/48]
inbound:
  default: drop
  rules:
`;
const FOOTER = `targets:
  iptables:
    ipv6: true
  aliyun:
    regionId: cn-hangzhou
  aws:
    groupId: sg-0123456789abcdef0
`;

function randomRule(rng: Rng): string {
  const action = rng.pick(["allow", "allow", "allow", "deny", "reject"]);
  const ports = rng.pick([
    "smtp",
    "submissions",
    "imaps",
    "[imaps, pop3s]",
    `${rng.int(1024, 9999)}/tcp`,
    "6000-6010/udp",
  ]);
  const from = rng.pick([
    "any",
    "office",
    `198.51.100.${rng.int(1, 254)}`,
    `10.${rng.int(0, 255)}.0.0/16`,
    "2001:db8::/32",
  ]);
  const note = rng.next() < 0.3 ? `      note: "note ${rng.int(0, 999)}"\n` : "";
  return `    - ${action}: ${ports}\n      from: ${from}\n${note}`;
}

const LABELS = Object.fromEntries(
  ["hostTitle", "cloudTitle", "ipv4", "ipv6", "aliyun", "aws", "copy", "save", "copied", "lock", "unlock"]
    .concat(["lockedHint", "errorsTitle", "errorsHint", "notConfigured", "failed", "empty", "lineTitle"])
    .map((k) => [k, k]),
) as unknown as PreviewLabels;

/** The state the extension sends (PolicyPreview.computeState). */
function stateOf(text: string, version: number, host: HostTarget, cloud: CloudTarget): PreviewState {
  return previewStateOf(checkPolicy(text), text, {
    resource: "file:///webview.mailpolicy.yaml",
    title: "webview.mailpolicy.yaml",
    version,
    lang: "en",
    locked: false,
    labels: LABELS,
    host,
    cloud,
  });
}

interface ShownSide {
  readonly target: string | undefined;
  /** Undefined when the side shows no output block. */
  readonly text: string | undefined;
  readonly rules: (string | null)[];
  /** Lines whose element was made by this update (not marked before it). */
  readonly made: number;
  /** Lines not directly in a non-empty chunk of the output's code element. */
  readonly misplaced: number;
}

/** Marks every line element on the page, so the next read can tell which ones an update made. */
const MARK_LINES = `for (const line of document.querySelectorAll(".line")) line.dataset.seen = "1";`;

/** What each side of the page shows (in the page: the test's own tsconfig has no DOM types). */
const READ_SIDES = `(() => {
  const sides = [...document.querySelectorAll("section.side")].map((section) => {
    const pre = section.querySelector("pre.output");
    const lines = pre ? [...pre.querySelectorAll(".line")] : [];
    const misplaced = lines.filter((l) => {
      const chunk = l.parentElement;
      return !chunk || !chunk.classList.contains("chunk") || !chunk.parentElement || chunk.parentElement.tagName !== "CODE";
    }).length;
    const emptyChunks = pre ? [...pre.querySelectorAll(".chunk")].filter((c) => c.childElementCount === 0).length : 0;
    return {
      target: section.dataset.target,
      text: pre ? pre.textContent : undefined,
      rules: lines.map((l) => l.dataset.rule ?? null),
      made: lines.filter((l) => l.dataset.seen !== "1").length,
      misplaced: misplaced + emptyChunks,
    };
  });
  return { state: document.body.dataset.state, pres: document.querySelectorAll("pre").length, sides };
})()`;

/** True once no output is still making its lines in the background. */
const MADE_ALL = "document.body.dataset.building === undefined";

interface PageView {
  readonly state: string | undefined;
  readonly pres: number;
  readonly sides: ShownSide[];
}

describe("preview webview in Chromium", { skip: SKIP }, () => {
  let browser: Browser;
  before(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
  });

  test("each update shows exactly the new outputs and makes elements only for changed lines", async () => {
    const webview = await openWebview(browser, REPO_ROOT);
    const rng = new Rng(SEED);
    let rules = Array.from({ length: 40 }, () => randomRule(rng));
    let host: HostTarget = "iptables";
    let cloud: CloudTarget = "aliyun";
    let broken = false;
    /** What the page last rendered of each target: an update patches from there. */
    const rendered = new Map<TargetName, TargetView>();
    /** What the page holds, as the panel tracks it: updates carry only the lines that changed. */
    const sent: SentOutputs = new Map();
    const edits: string[] = [];
    for (let version = 1; version <= 60; version++) {
      let edit = "first";
      if (version > 1) {
        const at = rng.int(0, rules.length - 1);
        edit = broken
          ? "fix"
          : rng.pick(["change", "insert", "delete", "note", "comment", "break", "switch", "change", "insert"]);
        if (edit === "change") rules[at] = randomRule(rng);
        if (edit === "insert")
          rules.splice(at, 0, randomRule(rng), ...(rng.next() < 0.2 ? [randomRule(rng), randomRule(rng)] : []));
        if (edit === "delete" && rules.length > 2) rules.splice(at, rng.int(1, 3));
        if (edit === "note")
          rules[at] = `${rules[at]}      note: "edited ${version}"\n`.replace(/( {6}note: .*\n)(?= {6}note)/, "");
        if (edit === "comment") rules[at] = `    # comment ${version}\n${rules[at]}`;
        if (edit === "switch") {
          host = host === "iptables" ? "ip6tables" : "iptables";
          if (rng.next() < 0.7) cloud = cloud === "aliyun" ? "aws" : "aliyun";
        }
        broken = edit === "break";
        if (edit === "fix") rules = rules.map((r) => r.replace("allow: shh", "allow: ssh"));
        if (broken) rules[at] = "    - allow: shh\n      from: any\n";
      }
      edits.push(edit);
      const state = stateOf(HEADER + rules.join("") + FOOTER, version, host, cloud);
      assert.equal(state.hasErrors, broken, `edit ${version} (${edit}): errors as planted`);
      await webview.page.evaluate(MARK_LINES);
      await webview.update(sentState(state, sent, version));
      await webview.page.waitForFunction(MADE_ALL);
      const page = (await webview.page.evaluate(READ_SIDES)) as PageView;
      const where = `edit ${version} (${edits.join(", ")})`;
      assert.equal(page.state, broken ? "errors" : "output", where);
      if (broken) {
        assert.equal(page.pres, 0, `${where}: no output while the policy has errors`);
        continue;
      }
      assert.deepEqual(
        page.sides.map((s) => s.target),
        [host, cloud],
        where,
      );
      for (const [side, target] of [
        [page.sides[0], host],
        [page.sides[1], cloud],
      ] as const) {
        const view = state.outputs.find((o) => o.target === target)!;
        const lines = outputLines(view.text);
        assert.equal(side.text, lines.map((l) => `${l}\n`).join(""), `${where}: ${target} text`);
        assert.deepEqual(side.rules, view.lineRules, `${where}: ${target} line rules`);
        assert.equal(side.misplaced, 0, `${where}: ${target} lines sit in non-empty chunks`);
        const before = rendered.get(target);
        const expected = before
          ? lineChanges(
              { lines: outputLines(before.text), rules: before.lineRules },
              { lines, rules: view.lineRules },
            ).reduce((n, c) => n + c.insertCount, 0)
          : lines.length;
        assert.equal(side.made, expected, `${where}: ${target} elements made`);
        rendered.set(target, view);
      }
    }
    // The run went through every kind of edit, so each path above was taken.
    for (const kind of ["change", "insert", "delete", "note", "comment", "break", "fix", "switch"]) {
      assert.ok(edits.includes(kind), `seed ${SEED} made no "${kind}" edit`);
    }
    await webview.page.close();
  });
  test("a large output shows its first lines at once and the rest soon; an edit meanwhile lands exactly", async () => {
    const webview = await openWebview(browser, REPO_ROOT);
    const rng = new Rng(SEED + 1);
    const rules = Array.from({ length: 600 }, () => randomRule(rng));
    const first = stateOf(HEADER + rules.join("") + FOOTER, 1, "iptables", "aliyun");
    const cloudLines = outputLines(first.outputs[1].text).length;
    assert.ok(cloudLines > 4000, `the cloud output is large (${cloudLines} lines)`);
    // Read in the same task as the render (a listener after the webview's own), before any
    // background batch can run: read later, a fast machine may already have made every line.
    const early = (await webview.page.evaluate(`new Promise((resolve) => {
      window.addEventListener("message", () => resolve([document.body.dataset.building, document.querySelectorAll(".side-cloud .line").length]), { once: true });
      window.postMessage({ type: "update", state: ${JSON.stringify(first)} }, "*");
    })`)) as [string | undefined, number];
    assert.equal(early[0], "true", "the rest is still being made after the first paint");
    assert.ok(early[1] < cloudLines, `not every line is made before the first paint (${early[1]} of ${cloudLines})`);
    await webview.page.waitForFunction(MADE_ALL);
    // AWS shown for the first time and, in the same task, an edit: the edit's update finds the
    // AWS output still being made, makes the rest first, then patches.
    const aws = stateOf(HEADER + rules.join("") + FOOTER, 2, "iptables", "aws");
    rules[300] = "    - allow: 2525/tcp\n      from: 192.0.2.7\n";
    const edited = stateOf(HEADER + rules.join("") + FOOTER, 3, "iptables", "aws");
    assert.ok(outputLines(aws.outputs[1].text).length > 256, "more AWS lines than are made before the first paint");
    await webview.page.evaluate(
      `(([a, b]) => { window.postMessage({ type: "update", state: a }, "*"); window.postMessage({ type: "update", state: b }, "*"); })(${JSON.stringify([aws, edited])})`,
    );
    await webview.page.waitForFunction(`document.body.dataset.version === "3" && ${MADE_ALL}`);
    const page = (await webview.page.evaluate(READ_SIDES)) as PageView;
    for (const [k, view] of edited.outputs.entries()) {
      const lines = outputLines(view.text);
      assert.equal(page.sides[k].target, view.target);
      assert.equal(page.sides[k].text, lines.map((l) => `${l}\n`).join(""), view.target);
      assert.deepEqual(page.sides[k].rules, view.lineRules, view.target);
      assert.equal(page.sides[k].misplaced, 0, view.target);
    }
    await webview.page.close();
  });
  test("a patch for an output the page does not have asks for everything again and changes nothing", async () => {
    const webview = await openWebview(browser, REPO_ROOT);
    const rng = new Rng(SEED + 2);
    const rules = Array.from({ length: 30 }, () => randomRule(rng));
    const sent: SentOutputs = new Map();
    await webview.update(sentState(stateOf(HEADER + rules.join("") + FOOTER, 1, "iptables", "aliyun"), sent, 1));
    await webview.page.waitForFunction(MADE_ALL);
    const shown = (await webview.page.evaluate(READ_SIDES)) as PageView;
    rules[5] = "    - allow: 2525/tcp\n      from: 192.0.2.7\n";
    const next = stateOf(HEADER + rules.join("") + FOOTER, 2, "iptables", "aliyun");
    // As if the page had been reloaded since: the patch's base is not what it holds.
    const patched = sentState(next, sent, 2);
    const wrongBase = {
      ...patched,
      outputs: patched.outputs.map((o) => (o.patch ? { ...o, patch: { ...o.patch, base: 99 } } : o)),
    };
    assert.ok(
      patched.outputs.every((o) => o.patch),
      "both outputs went as patches",
    );
    await webview.page.evaluate(`window.postMessage({ type: "update", state: ${JSON.stringify(wrongBase)} }, "*")`);
    await webview.page.waitForFunction(`(window.__posted ?? []).some((m) => m.type === "resync")`);
    const after = (await webview.page.evaluate(READ_SIDES)) as PageView;
    assert.deepEqual(after, shown, "the page still shows the last update it could apply");
    assert.equal(await webview.page.evaluate("document.body.dataset.version"), "1");
    // The panel answers a resync with everything whole.
    sent.clear();
    await webview.update(sentState(next, sent, 3));
    await webview.page.waitForFunction(MADE_ALL);
    const page = (await webview.page.evaluate(READ_SIDES)) as PageView;
    for (const [k, view] of next.outputs.entries()) {
      assert.equal(page.sides[k].text, outputText(outputLines(view.text), true), view.target);
      assert.deepEqual(page.sides[k].rules, view.lineRules, view.target);
    }
    await webview.page.close();
  });
});
