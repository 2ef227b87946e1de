/**
 * Completion in policy files: keys where a key fits, service names after
 * `allow`/`deny`/`reject`, source names after `from`/`to`, target options under
 * `targets`, diagnostic codes under `acknowledge`.
 */
import * as vscode from "vscode";
import { CATALOG, type PortEntry, type TlsMode } from "../core/catalog";
import { DIAGNOSTIC_CODES } from "../core/diagnostics";
import type { Lang } from "../core/model";
import { POLICY_KEYS, parsePolicy } from "../core/parse";
import { describePortEntry } from "./hoverText";
import { POLICY_SELECTOR, uiLang } from "./language";
import type { Log } from "./log";
import { type YamlContext, yamlContextAt } from "./yamlContext";

/** Keys under `targets` and under each target: the parser's own lists. */
const TARGET_KEYS: Record<string, readonly string[]> = {
  targets: POLICY_KEYS.targets,
  iptables: POLICY_KEYS.iptables,
  aliyun: POLICY_KEYS.aliyun,
  aws: POLICY_KEYS.aws,
};
/** Values for keys whose values are a fixed set. */
const VALUES: Record<string, readonly string[]> = {
  default: ["drop", "reject", "accept"],
  ipv6: ["true", "false"],
  baseline: ["true", "false"],
  forward: ["drop", "accept"],
  regionId: ["cn-hangzhou", "cn-shanghai", "cn-beijing", "cn-shenzhen", "cn-hongkong", "ap-southeast-1"],
};

/** The TLS mode as shown in a completion item's detail. */
export function tlsModeLabel(mode: TlsMode): string {
  switch (mode) {
    case "implicit-tls":
      return vscode.l10n.t("implicit TLS");
    case "starttls":
      return vscode.l10n.t("STARTTLS");
    case "plaintext":
      return vscode.l10n.t("plaintext");
    case "not-tls":
      return vscode.l10n.t("not TLS");
  }
}

function keyItem(key: string): vscode.CompletionItem {
  const item = new vscode.CompletionItem(key, vscode.CompletionItemKind.Property);
  item.insertText = `${key}: `;
  return item;
}

function valueItem(value: string, kind = vscode.CompletionItemKind.Value): vscode.CompletionItem {
  return new vscode.CompletionItem(value, kind);
}

function serviceItem(entry: PortEntry, name: string, lang: Lang): vscode.CompletionItem {
  const item = new vscode.CompletionItem(name, vscode.CompletionItemKind.Constant);
  item.detail = `${entry.port}/${entry.protocols.join("|")} · ${tlsModeLabel(entry.tls)}`;
  if (name !== entry.key) item.detail += ` · ${vscode.l10n.t("alias of {0}", entry.key)}`;
  item.documentation = new vscode.MarkdownString(describePortEntry(entry, lang));
  // Implicit-TLS services first: they are the ones to prefer.
  item.sortText = `${entry.tls === "implicit-tls" ? 0 : 1}${name}`;
  return item;
}

/** Source names defined in the file, from the parsed model or, while it does not parse, from its text. */
function sourceNames(text: string): string[] {
  try {
    return [...parsePolicy(text).policy.sources.keys()];
  } catch {
    const block = text.match(/^sources:\s*\n((?:[ \t]+.*\n?|\s*\n)*)/m)?.[1] ?? "";
    return [...block.matchAll(/^ {2}([A-Za-z][\w-]*)\s*:/gm)].map((m) => m[1]);
  }
}

/** The completion items for a cursor context; exported for the in-host tests. */
export function completionItems(ctx: YamlContext, text: string, lang: Lang): vscode.CompletionItem[] {
  const parent = ctx.path.at(-1);
  const direction = ctx.path[0];
  if (ctx.valueKey === undefined && parent !== "acknowledge") {
    if (parent === undefined) return POLICY_KEYS.top.map(keyItem);
    if ((parent === "inbound" || parent === "outbound") && ctx.path.length === 1) {
      return POLICY_KEYS.ruleSet.map(keyItem);
    }
    if (parent === "rules") {
      return (direction === "outbound" ? POLICY_KEYS.outboundRule : POLICY_KEYS.inboundRule).map(keyItem);
    }
    if (ctx.path[0] === "targets" && parent in TARGET_KEYS) return TARGET_KEYS[parent].map(keyItem);
    return [];
  }
  const key = ctx.valueKey ?? parent;
  if (key === "allow" || key === "deny" || key === "reject") {
    return CATALOG.flatMap((e) => [e.key, ...e.aliases].map((name) => serviceItem(e, name, lang)));
  }
  if (key === "from" || key === "to") {
    const builtins = ["any", "any4", "any6"].map((v) => valueItem(v, vscode.CompletionItemKind.Keyword));
    return [...sourceNames(text).map((n) => valueItem(n, vscode.CompletionItemKind.Variable)), ...builtins];
  }
  if (key === "acknowledge") return DIAGNOSTIC_CODES.map((c) => valueItem(c, vscode.CompletionItemKind.EnumMember));
  if (key && key in VALUES) return VALUES[key].map((v) => valueItem(v));
  return [];
}

export function registerCompletion(_context: vscode.ExtensionContext, log: Log): vscode.Disposable {
  const provider: vscode.CompletionItemProvider = {
    provideCompletionItems(document, position) {
      try {
        const text = document.getText();
        const ctx = yamlContextAt(text, document.offsetAt(position));
        return ctx ? completionItems(ctx, text, uiLang()) : undefined;
      } catch (err) {
        log.error(`completion failed: ${String(err)}`);
        return undefined;
      }
    },
  };
  // Space, `[` and `,` start a value or a list item.
  return vscode.languages.registerCompletionItemProvider(POLICY_SELECTOR, provider, " ", "[", ",");
}
