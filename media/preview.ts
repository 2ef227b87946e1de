/**
 * The preview webview's script. Builds the DOM from the state the extension
 * sends, always through `textContent` (never `innerHTML`), so policy text such
 * as a note with `<script>` can only ever appear as text.
 */
import type { TargetName } from "../src/core/model";
import { type Token, tokenizerFor } from "../src/extension/preview/highlight";
import {
  applyLineEdits,
  lineChanges,
  type OutputLines,
  outputLines,
  outputText,
} from "../src/extension/preview/lineChanges";
import type {
  CloudTarget,
  FromWebview,
  HostTarget,
  PersistedPreviewState,
  PreviewProblem,
  PreviewSide,
  PreviewState,
  RuleKey,
  SentState,
  TargetView,
  ToWebview,
} from "../src/extension/preview/protocol";

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  setState(state: PersistedPreviewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById("preview") as HTMLElement;
const stateElement = document.getElementById("mailpolicy-preview-state");
let state: PreviewState = JSON.parse(stateElement?.dataset.state ?? "null");

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The lines of each output last received, by the id the extension sent it with (0: the page's first state). */
const received = new Map<TargetName, OutputLines<RuleKey | null> & { readonly id: number }>();

/** The whole state an update stands for, or undefined when a patch does not fit the output kept for it. */
function receive(update: SentState): PreviewState | undefined {
  const outputs: TargetView[] = [];
  const kept: (OutputLines<RuleKey | null> & { readonly id: number; readonly target: TargetName })[] = [];
  for (const sent of update.outputs) {
    const { id, patch, text, lineRules, ...rest } = sent;
    if (!patch) {
      outputs.push({ ...rest, text: text as string, lineRules: lineRules as (RuleKey | null)[] });
      kept.push({
        target: sent.target,
        id,
        lines: outputLines(text as string),
        rules: lineRules as (RuleKey | null)[],
      });
      continue;
    }
    const base = received.get(sent.target);
    if (base?.id !== patch.base) return undefined;
    const after = applyLineEdits(base, patch.edits);
    if (after.lines.length !== patch.lineCount) return undefined;
    outputs.push({ ...rest, text: outputText(after.lines, patch.finalNewline), lineRules: after.rules });
    kept.push({ target: sent.target, id, ...after });
  }
  for (const { target, ...output } of kept) received.set(target, output);
  return { ...update, outputs };
}

function persist(): void {
  vscode.setState({ resource: state.resource, locked: state.locked, host: state.host, cloud: state.cloud });
}

function problemList(problems: readonly PreviewProblem[], className: string): HTMLElement {
  const list = el("ul", className);
  for (const p of problems) {
    const item = el("li", `problem severity-${p.severity}`);
    const button = el("button", "problem-link");
    button.type = "button";
    button.title = `${p.code} (${p.line + 1}:${p.character + 1})`;
    button.append(
      el("span", "problem-position", `${p.line + 1}:${p.character + 1}`),
      el("span", "problem-message", p.message),
      el("span", "problem-code", p.code),
    );
    button.addEventListener("click", () =>
      vscode.postMessage({ type: "revealRange", start: p.start, end: p.end, version: state.version }),
    );
    item.append(button);
    list.append(item);
  }
  return list;
}

function renderErrors(): HTMLElement {
  const section = el("section", "errors");
  section.setAttribute("role", "alert");
  section.append(el("h2", undefined, state.labels.errorsTitle), el("p", "hint", state.labels.errorsHint));
  section.append(problemList(state.errors, "error-list"));
  return section;
}

/**
 * An output as the webview shows it: its lines, their rules and their elements,
 * kept per target so an update rebuilds only the lines that changed (see
 * lineChanges) and the browser lays out only those.
 */
interface ShownOutput {
  readonly pre: HTMLPreElement;
  readonly code: HTMLElement;
  lines: readonly string[];
  rules: readonly (RuleKey | null)[];
  elements: HTMLElement[];
  /** The lines currently highlighted for the rule under the cursor. */
  highlighted: HTMLElement[];
  readonly tokenize: (line: string) => Token[];
  /** Set while the lines past `elements` are still being made in the background. */
  building: ReturnType<typeof setTimeout> | undefined;
}

const shownOutputs = new Map<TargetName, ShownOutput>();

function lineElement(text: string, rule: RuleKey | null, tokenize: (line: string) => Token[]): HTMLElement {
  const line = el("span", "line");
  if (rule) {
    line.dataset.rule = rule;
    line.classList.add("has-rule");
    line.title = state.labels.lineTitle;
  }
  for (const token of tokenize(text)) {
    if (token.kind) line.append(el("span", `tok-${token.kind}`, token.text));
    else line.append(document.createTextNode(token.text));
  }
  // A newline keeps copied selections line by line.
  line.append(document.createTextNode("\n"));
  return line;
}

/** The output's element, brought up to date with `view` by replacing only the lines that changed. */
function renderOutput(view: TargetView): HTMLElement {
  let shown = shownOutputs.get(view.target);
  if (!shown) {
    const pre = el("pre", `output output-${view.target}`);
    pre.tabIndex = 0;
    const code = el("code");
    pre.append(code);
    pre.addEventListener("click", (event) => {
      const line = (event.target as HTMLElement).closest<HTMLElement>(".line[data-rule]");
      const rule = line?.dataset.rule;
      if (rule && !window.getSelection()?.toString()) vscode.postMessage({ type: "revealRule", rule: rule as RuleKey });
    });
    const tokenize = tokenizerFor(view.target);
    shown = { pre, code, lines: [], rules: [], elements: [], highlighted: [], tokenize, building: undefined };
    shownOutputs.set(view.target, shown);
  }
  // An update waits for nothing: lines still to be made are made now, so the comparison sees them all.
  makePending(shown, Number.POSITIVE_INFINITY);
  // The lines as received (the view's text was joined from them): no second split of the text.
  const after = received.get(view.target) as OutputLines<RuleKey | null>;
  const { tokenize } = shown;
  const make = (i: number) => lineElement(after.lines[i], after.rules[i], tokenize);
  const elements = shown.elements;
  let rebuilt = elements;
  // From the last change back, so the positions of earlier ones still hold.
  for (const { start, deleteCount, insertCount } of lineChanges(shown, after).reverse()) {
    if (deleteCount === insertCount) {
      for (let i = start; i < start + insertCount; i++) {
        const line = make(i);
        rebuilt[i].replaceWith(line);
        rebuilt[i] = line;
      }
      continue;
    }
    // Lines added or removed: one change between the kept head and tail.
    for (let i = start; i < start + deleteCount; i++) {
      const chunk = elements[i].parentElement;
      elements[i].remove();
      if (chunk?.childElementCount === 0) chunk.remove();
    }
    // Many lines at the end (a first view): the first screenfuls now, the rest in the background.
    const atEnd = start + deleteCount === elements.length;
    const now = atEnd && insertCount > FIRST_LINES ? FIRST_LINES : insertCount;
    const made: HTMLElement[] = [];
    for (let i = start; i < start + now; i++) made.push(make(i));
    insertLines(shown.code, made, elements[start + deleteCount]);
    rebuilt = [...elements.slice(0, start), ...made, ...elements.slice(start + deleteCount)];
  }
  shown.elements = rebuilt;
  shown.lines = after.lines;
  shown.rules = after.rules;
  highlightLines(shown, state.cursorRule);
  scheduleMaking(shown);
  return shown.pre;
}

/** Lines made before the first paint of a large output; the rest follow a batch per task, so input is never held up long. */
const FIRST_LINES = 256;
const BATCH_LINES = 1024;

/** Makes up to `limit` of the lines still to be made, at the end of the output. */
function makePending(shown: ShownOutput, limit: number): void {
  if (shown.building !== undefined) {
    clearTimeout(shown.building);
    shown.building = undefined;
  }
  const from = shown.elements.length;
  const end = Math.min(shown.lines.length, from + limit);
  if (end <= from) return;
  const made: HTMLElement[] = [];
  for (let i = from; i < end; i++) {
    const line = lineElement(shown.lines[i], shown.rules[i], shown.tokenize);
    if (state.cursorRule !== null && shown.rules[i] === state.cursorRule) {
      line.classList.add("highlight");
      shown.highlighted.push(line);
    }
    made.push(line);
  }
  insertLines(shown.code, made, undefined);
  for (const line of made) shown.elements.push(line);
}

/** Makes the rest of the output's lines in the background; the page says so while it does. */
function scheduleMaking(shown: ShownOutput): void {
  if (shown.building === undefined && shown.elements.length < shown.lines.length) {
    shown.building = setTimeout(() => {
      shown.building = undefined;
      makePending(shown, BATCH_LINES);
      scheduleMaking(shown);
    }, 0);
  }
  const busy = [...shownOutputs.values()].some((o) => o.building !== undefined);
  if (busy) document.body.dataset.building = "true";
  else delete document.body.dataset.building;
}

/** Lines per chunk: the browser skips a chunk's layout and paint while it is off screen (preview.css). */
const CHUNK_LINES = 128;

function chunkOf(lines: HTMLElement[]): HTMLElement {
  const chunk = el("div", "chunk");
  chunk.append(...lines);
  return chunk;
}

/** Puts `lines` before the line `before` (or at the end), in chunks. */
function insertLines(code: HTMLElement, lines: HTMLElement[], before: HTMLElement | undefined): void {
  if (lines.length === 0) return;
  if (before) {
    if (lines.length <= CHUNK_LINES) {
      before.before(...lines);
      return;
    }
    // Many lines: cut the chunk at `before` and put them in chunks of their own between the halves.
    const chunk = before.parentElement as HTMLElement;
    const tail = el("div", "chunk");
    for (let node: ChildNode | null = before; node; ) {
      const next: ChildNode | null = node.nextSibling;
      tail.append(node);
      node = next;
    }
    chunk.after(tail);
    if (chunk.childElementCount === 0) chunk.remove();
    for (let i = 0; i < lines.length; i += CHUNK_LINES) tail.before(chunkOf(lines.slice(i, i + CHUNK_LINES)));
    return;
  }
  let i = 0;
  const last = code.lastElementChild;
  if (last) {
    i = Math.max(0, CHUNK_LINES - last.childElementCount);
    last.append(...lines.slice(0, i));
  }
  for (; i < lines.length; i += CHUNK_LINES) code.append(chunkOf(lines.slice(i, i + CHUNK_LINES)));
}

/** Marks the output's lines of `rule`, and unmarks the others; returns the first one marked. */
function highlightLines(shown: ShownOutput, rule: RuleKey | null): HTMLElement | undefined {
  const first = rule ? shown.rules.indexOf(rule) : -1;
  if (first >= shown.elements.length) {
    // Still to be made: make the lines up to it now, so it can be shown.
    makePending(shown, first + 1 - shown.elements.length);
    scheduleMaking(shown);
  }
  for (const line of shown.highlighted) line.classList.remove("highlight");
  shown.highlighted = [];
  if (!rule) return undefined;
  // Lines not made yet are highlighted as they are made (makePending).
  for (let i = first; i >= 0 && i < shown.elements.length; i++) {
    if (shown.rules[i] === rule) shown.highlighted.push(shown.elements[i]);
  }
  for (const line of shown.highlighted) line.classList.add("highlight");
  return shown.highlighted[0];
}

/** The two columns, made once: their outputs stay in place across updates (moving one lays out all its lines again). */
const sides = el("div", "sides");
const sideSections: Record<PreviewSide, HTMLElement> = {
  host: el("section", "side side-host"),
  cloud: el("section", "side side-cloud"),
};
for (const side of ["host", "cloud"] as const) sideSections[side].dataset.side = side;
sides.append(sideSections.host, sideSections.cloud);

function updateSide(side: PreviewSide): void {
  const { labels } = state;
  const choices: readonly [string, string][] =
    side === "host"
      ? [
          ["iptables", labels.ipv4],
          ["ip6tables", labels.ipv6],
        ]
      : [
          ["aliyun", labels.aliyun],
          ["aws", labels.aws],
        ];
  const selected = side === "host" ? state.host : state.cloud;
  // Only the shown targets are sent; after a switch, until the extension sends the other, the side stays empty.
  const view = state.outputs.find((o) => o.target === selected);
  const section = sideSections[side];
  section.dataset.target = selected;

  const header = el("div", "side-header");
  header.append(el("h2", undefined, side === "host" ? labels.hostTitle : labels.cloudTitle));
  const tabs = el("div", "tabs");
  tabs.setAttribute("role", "tablist");
  for (const [target, label] of choices) {
    const tab = el("button", "tab", label);
    tab.type = "button";
    tab.dataset.target = target;
    tab.setAttribute("role", "tab");
    tab.setAttribute("aria-selected", String(target === selected));
    tab.addEventListener("click", () => select(side, target));
    tabs.append(tab);
  }
  const actions = el("div", "actions");
  const copy = el("button", "action copy", labels.copy);
  copy.type = "button";
  copy.addEventListener("click", () => vscode.postMessage({ type: "copy", target: selected as HostTarget, side }));
  const save = el("button", "action save", labels.save);
  save.type = "button";
  save.addEventListener("click", () => vscode.postMessage({ type: "save", target: selected as HostTarget }));
  const usable = !!view && !view.failure;
  copy.disabled = !usable;
  save.disabled = !usable;
  actions.append(copy, save);
  header.append(tabs, actions);

  const parts: HTMLElement[] = [header];
  let output: HTMLElement | undefined;
  if (view) {
    if (view.problems.length > 0) parts.push(problemList(view.problems, "target-problems"));
    if (!view.configured) parts.push(el("p", "note not-configured", labels.notConfigured));
    if (view.failure) parts.push(el("p", "note failed", `${labels.failed} ${view.failure}`));
    else if (view.text.trim() === "") parts.push(el("p", "note", labels.empty));
    else output = renderOutput(view);
  }
  for (const child of [...section.children]) if (child !== output) child.remove();
  section.prepend(...parts);
  if (output && output.parentElement !== section) section.append(output);
}

function select(side: PreviewSide, target: string): void {
  if (side === "host") state = { ...state, host: target as HostTarget };
  else state = { ...state, cloud: target as CloudTarget };
  persist();
  vscode.postMessage({ type: "select", host: state.host, cloud: state.cloud });
  render();
}

function render(): void {
  const header = el("header", "preview-header");
  header.append(el("h1", "title", state.title));
  const lock = el(
    "button",
    `lock${state.locked ? " locked" : ""}`,
    state.locked ? state.labels.unlock : state.labels.lock,
  );
  lock.type = "button";
  lock.title = state.labels.lockedHint;
  lock.setAttribute("aria-pressed", String(state.locked));
  lock.addEventListener("click", () => vscode.postMessage({ type: "toggleLock" }));
  header.append(lock);

  if (state.hasErrors) root.replaceChildren(header, renderErrors());
  else {
    updateSide("host");
    updateSide("cloud");
    for (const child of [...root.children]) if (child !== sides) child.remove();
    root.prepend(header);
    if (sides.parentElement !== root) root.append(sides);
  }
  document.body.dataset.state = state.hasErrors ? "errors" : "output";
  document.body.dataset.version = String(state.version);
  document.title = state.title;
}

function highlight(rule: RuleKey | null): void {
  state = { ...state, cursorRule: rule };
  let first: HTMLElement | undefined;
  // The outputs on screen, host side first; the others catch up when shown again.
  for (const target of [state.host, state.cloud]) {
    const shown = shownOutputs.get(target);
    if (!shown?.pre.isConnected) continue;
    first ??= highlightLines(shown, rule);
  }
  first?.scrollIntoView({ block: "nearest" });
}

function flashCopied(side: PreviewSide): void {
  const button = root.querySelector<HTMLButtonElement>(`.side-${side} .copy`);
  if (!button) return;
  button.textContent = state.labels.copied;
  setTimeout(() => {
    button.textContent = state.labels.copy;
  }, 1200);
}

window.addEventListener("message", (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  switch (message.type) {
    case "update": {
      const next = receive(message.state);
      if (!next) {
        // A patch of an output this page does not have (it was reloaded): ask for everything.
        vscode.postMessage({ type: "resync" });
        break;
      }
      state = next;
      persist();
      render();
      break;
    }
    case "cursor":
      highlight(message.rule);
      break;
    case "copied":
      flashCopied(message.side);
      break;
  }
});

if (state) {
  for (const view of state.outputs) {
    received.set(view.target, { id: 0, lines: outputLines(view.text), rules: view.lineRules });
  }
  persist();
  render();
}
