/**
 * Port documentation in Markdown: what hovers show and what `mailpolicy explain`
 * and the `mailpolicy.explainPort` command print.
 */
import { lookupNotable, lookupPort, lookupService, type NotablePort, type PortEntry, type TlsMode } from "./catalog";
import type { Lang, Localized, Protocol } from "./model";

/** Short names of the TLS modes, as shown after "TLS:". */
export const TLS_MODE_LABELS: Readonly<Record<TlsMode, Localized>> = {
  "implicit-tls": { en: "implicit TLS (TLS from the first byte)", "zh-cn": "隐式 TLS（从第一个字节起加密）" },
  starttls: {
    en: "STARTTLS (starts in cleartext, upgraded to TLS by a command)",
    "zh-cn": "STARTTLS（以明文开始，通过命令升级为 TLS）",
  },
  plaintext: { en: "plaintext (no TLS)", "zh-cn": "明文（无 TLS）" },
  "not-tls": { en: "not TLS (the protocol has its own security)", "zh-cn": "非 TLS（协议自带安全机制）" },
};

/** The label of a TLS mode in one language. */
export function tlsModeLabel(mode: TlsMode, lang: Lang): string {
  return TLS_MODE_LABELS[mode][lang];
}

/** How to render the documentation. */
export interface DescribeOptions {
  /** Link each RFC to rfc-editor.org (hovers); plain `RFC 5321` otherwise (terminal). */
  readonly rfcLinks?: boolean;
}

const LABELS = {
  iana: { en: "IANA name", "zh-cn": "IANA 名称" },
  ianaNone: { en: "none", "zh-cn": "无" },
  ianaAlso: { en: "also registered", "zh-cn": "另有登记" },
  tls: { en: "TLS", "zh-cn": "TLS" },
  tlsUnknown: { en: "not standardized", "zh-cn": "无统一标准" },
  rfcs: { en: "RFCs", "zh-cn": "RFC" },
  rfcsNone: { en: "none", "zh-cn": "无" },
  aliases: { en: "Also accepted as", "zh-cn": "也可写作" },
  twin: { en: "TLS twin", "zh-cn": "对应的 TLS 端口" },
  adminOnly: {
    en: "Administration/monitoring port: do not open it to `any`.",
    "zh-cn": "管理/监控端口：不要对 `any` 开放。",
  },
  advice: { en: "Advice", "zh-cn": "建议" },
  notCatalog: {
    en: "Not a catalog service: a policy writes it as a port number",
    "zh-cn": "不是目录中的服务：策略中需写成端口号",
  },
} as const satisfies Record<string, Localized>;

/** A label followed by the language's colon: full-width in Chinese. */
function label(text: Localized, lang: Lang): string {
  return lang === "zh-cn" ? `${text[lang]}：` : `${text[lang]}: `;
}

function adviceLine(advice: Localized, lang: Lang): string {
  return lang === "zh-cn"
    ? `**${LABELS.advice[lang]}：**${advice[lang]}`
    : `**${LABELS.advice[lang]}:** ${advice[lang]}`;
}

/** Joins list items with the language's separator. */
function list(items: readonly string[], lang: Lang): string {
  return items.join(lang === "zh-cn" ? "、" : ", ");
}

function rfcList(rfcs: readonly string[], lang: Lang, options: DescribeOptions): string {
  if (rfcs.length === 0) return LABELS.rfcsNone[lang];
  if (!options.rfcLinks) return list(rfcs, lang);
  return list(
    rfcs.map((r) => `[${r}](https://www.rfc-editor.org/rfc/rfc${r.replace(/\D/g, "")})`),
    lang,
  );
}

function ianaLine(name: string | null, also: readonly string[] | undefined, lang: Lang): string {
  const main = name === null ? LABELS.ianaNone[lang] : `\`${name}\``;
  const extra = also?.length
    ? ` (${label(LABELS.ianaAlso, lang)}${list(
        also.map((n) => `\`${n}\``),
        lang,
      )})`
    : "";
  return `- ${label(LABELS.iana, lang)}${main}${extra}`;
}

/** Markdown documentation of one catalog entry: for hovers on names and ports. */
export function describeEntry(entry: PortEntry, lang: Lang, options: DescribeOptions = {}): string {
  const where = entry.protocols.map((p) => `${entry.port}/${p}`).join(", ");
  const facts = [
    ianaLine(entry.ianaName, entry.ianaAlso, lang),
    `- ${label(LABELS.tls, lang)}${tlsModeLabel(entry.tls, lang)}`,
    `- ${label(LABELS.rfcs, lang)}${rfcList(entry.rfcs, lang, options)}`,
  ];
  if (entry.aliases.length > 0) {
    facts.push(
      `- ${label(LABELS.aliases, lang)}${list(
        entry.aliases.map((a) => `\`${a}\``),
        lang,
      )}`,
    );
  }
  if (entry.tlsTwin) facts.push(`- ${label(LABELS.twin, lang)}\`${entry.tlsTwin}\``);
  const parts = [`### \`${entry.key}\` ${where}`, entry.purpose[lang], facts.join("\n")];
  if (entry.adminOnly) parts.push(LABELS.adminOnly[lang]);
  parts.push(adviceLine(entry.advice, lang));
  return parts.join("\n\n");
}

/** Markdown documentation of a notable port that a policy cannot name by service. */
export function describeNotable(notable: NotablePort, lang: Lang, options: DescribeOptions = {}): string {
  const spec = `${notable.port}/${notable.protocol}`;
  const facts = [
    ianaLine(notable.ianaName, undefined, lang),
    `- ${label(LABELS.tls, lang)}${notable.tls ? tlsModeLabel(notable.tls, lang) : LABELS.tlsUnknown[lang]}`,
    `- ${label(LABELS.rfcs, lang)}${rfcList(notable.rfcs, lang, options)}`,
  ];
  return [
    `### ${spec}`,
    notable.purpose[lang],
    facts.join("\n"),
    lang === "zh-cn" ? `${LABELS.notCatalog[lang]}（\`${spec}\`）。` : `${LABELS.notCatalog[lang]} (\`${spec}\`).`,
    adviceLine(notable.advice, lang),
  ].join("\n\n");
}

/** What an explain query names: a catalog service, or a port with an optional transport. */
export type PortQuery =
  | { readonly kind: "service"; readonly entry: PortEntry }
  | { readonly kind: "port"; readonly port: number; readonly protocol?: Protocol };

/**
 * Reads `993`, `993/tcp`, `514/UDP`, `imaps` or `smtps`. Service names are matched in
 * lower case so that `IMAPS` typed on a command line still works. Returns undefined for
 * anything else, including ports outside 1..65535.
 */
export function parsePortQuery(query: string): PortQuery | undefined {
  const q = query.trim().toLowerCase();
  const m = /^(\d{1,5})(?:\/(tcp|udp))?$/.exec(q);
  if (m) {
    const port = Number(m[1]);
    if (port < 1 || port > 65535) return undefined;
    return m[2] ? { kind: "port", port, protocol: m[2] as Protocol } : { kind: "port", port };
  }
  const entry = lookupService(q);
  return entry ? { kind: "service", entry } : undefined;
}

const SEPARATOR = "\n\n---\n\n";

/** Documentation of everything known on one port (and transport, when given). */
function explainPortNumber(port: number, protocol: Protocol | undefined, lang: Lang, options: DescribeOptions): string {
  const docs = [
    ...lookupPort(port, protocol).map((e) => describeEntry(e, lang, options)),
    ...lookupNotable(port, protocol).map((n) => describeNotable(n, lang, options)),
  ];
  if (docs.length > 0) return docs.join(SEPARATOR);

  const spec = protocol ? `${port}/${protocol}` : String(port);
  const elsewhere = protocol
    ? [
        ...lookupPort(port).map((e) => describeEntry(e, lang, options)),
        ...lookupNotable(port).map((n) => describeNotable(n, lang, options)),
      ]
    : [];
  if (elsewhere.length > 0) {
    const head =
      lang === "zh-cn"
        ? `### ${spec}\n\n目录中没有 ${spec}。目录中该端口在其他传输协议上的条目如下：`
        : `### ${spec}\n\n${spec} is not in the catalog. The catalog knows port ${port} on another transport:`;
    return `${head}\n\n${elsewhere.join(SEPARATOR)}`;
  }
  const written = protocol ? spec : `${port}/tcp`;
  return lang === "zh-cn"
    ? `### ${spec}\n\n端口 ${spec} 不在 mailpolicy 的端口目录中。策略仍可写作 \`${written}\` 来开放它。`
    : `### ${spec}\n\nPort ${spec} is not in the mailpolicy port catalog. A policy can still open it as \`${written}\`.`;
}

/**
 * Markdown documentation for a port query (`993`, `993/tcp`, `514/udp`, `imaps`, `smtps`):
 * every catalog entry and notable port that applies, or a short note for a port the
 * catalog does not know. Undefined when the query is neither a port nor a service name.
 */
export function explainPort(query: string, lang: Lang, options: DescribeOptions = {}): string | undefined {
  const parsed = parsePortQuery(query);
  if (!parsed) return undefined;
  if (parsed.kind === "service") return describeEntry(parsed.entry, lang, options);
  return explainPortNumber(parsed.port, parsed.protocol, lang, options);
}
