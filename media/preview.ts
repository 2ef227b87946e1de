/**
 * The preview webview's script. Builds the DOM from the state the extension
 * sends, always through `textContent` (never `innerHTML`), so policy text such
 * as a note with `<script>` can only ever appear as text.
 */
import { tokenizerFor } from "../src/extension/preview/highlight";
import type {
  CloudTarget,
  FromWebview,
  HostTarget,
  PersistedPreviewState,
  PreviewProblem,
  PreviewSide,
  PreviewState,
  RuleKey,
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

function renderOutput(view: TargetView): HTMLElement {
  const pre = el("pre", `output output-${view.target}`);
  pre.tabIndex = 0;
  const code = el("code");
  const tokenize = tokenizerFor(view.target);
  const lines = view.text.endsWith("\n") ? view.text.slice(0, -1).split("\n") : view.text.split("\n");
  lines.forEach((text, i) => {
    const line = el("span", "line");
    line.dataset.line = String(i);
    const rule = view.lineRules[i];
    if (rule) {
      line.dataset.rule = rule;
      line.classList.add("has-rule");
      line.title = state.labels.lineTitle;
      if (rule === state.cursorRule) line.classList.add("highlight");
    }
    for (const token of tokenize(text)) {
      if (token.kind) line.append(el("span", `tok-${token.kind}`, token.text));
      else line.append(document.createTextNode(token.text));
    }
    // A newline keeps copied selections line by line.
    line.append(document.createTextNode("\n"));
    code.append(line);
  });
  pre.append(code);
  pre.addEventListener("click", (event) => {
    const line = (event.target as HTMLElement).closest<HTMLElement>(".line[data-rule]");
    const rule = line?.dataset.rule;
    if (rule && !window.getSelection()?.toString()) vscode.postMessage({ type: "revealRule", rule: rule as RuleKey });
  });
  return pre;
}

function renderSide(side: PreviewSide): HTMLElement {
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
  const view = state.outputs.find((o) => o.target === selected);
  const section = el("section", `side side-${side}`);
  section.dataset.side = side;
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
  section.append(header);

  if (!view) return section;
  if (view.problems.length > 0) section.append(problemList(view.problems, "target-problems"));
  if (!view.configured) section.append(el("p", "note not-configured", labels.notConfigured));
  if (view.failure) section.append(el("p", "note failed", `${labels.failed} ${view.failure}`));
  else if (view.text.trim() === "") section.append(el("p", "note", labels.empty));
  else section.append(renderOutput(view));
  return section;
}

function select(side: PreviewSide, target: string): void {
  if (side === "host") state = { ...state, host: target as HostTarget };
  else state = { ...state, cloud: target as CloudTarget };
  persist();
  vscode.postMessage({ type: "select", host: state.host, cloud: state.cloud });
  render();
}

function render(): void {
  const scroll = new Map<string, number>();
  for (const pre of root.querySelectorAll<HTMLElement>("pre.output")) scroll.set(pre.className, pre.scrollLeft);

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

  const body: HTMLElement[] = [header];
  if (state.hasErrors) body.push(renderErrors());
  else {
    const sides = el("div", "sides");
    sides.append(renderSide("host"), renderSide("cloud"));
    body.push(sides);
  }
  root.replaceChildren(...body);
  document.body.dataset.state = state.hasErrors ? "errors" : "output";
  document.body.dataset.version = String(state.version);
  document.title = state.title;
  for (const pre of root.querySelectorAll<HTMLElement>("pre.output")) pre.scrollLeft = scroll.get(pre.className) ?? 0;
}

function highlight(rule: RuleKey | null): void {
  state = { ...state, cursorRule: rule };
  let first: HTMLElement | undefined;
  for (const line of root.querySelectorAll<HTMLElement>(".line[data-rule]")) {
    const on = line.dataset.rule === rule;
    line.classList.toggle("highlight", on);
    if (on && !first) first = line;
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
    case "update":
      state = message.state;
      persist();
      render();
      break;
    case "cursor":
      highlight(message.rule);
      break;
    case "copied":
      flashCopied(message.side);
      break;
  }
});

if (state) {
  persist();
  render();
}
