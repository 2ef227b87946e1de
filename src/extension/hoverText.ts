/**
 * What a hover says, decided without the editor: ports, service names, source
 * names and CIDRs in policy files and in iptables-save files. The language is a
 * parameter so both languages can be tested whatever the editor's display language.
 */
import { cidrSize, cidrToInterval, formatAddress, formatCidr, parseCidr } from "../core/addresses";
import { lookupService, type PortEntry } from "../core/catalog";
import { describeEntry, explainPort } from "../core/explain";
import type { Cidr, Lang, Localized, Policy, Protocol, TextRange } from "../core/model";
import { parsePolicy } from "../core/parse";

/** A hover's Markdown and the text range it describes. */
export interface HoverText {
  readonly markdown: string;
  readonly range: TextRange;
}

const t = (en: string, zh: string): Localized => ({ en, "zh-cn": zh });

const LABELS = {
  notInCatalog: t("is not in the port catalog.", "不在端口目录中。"),
  portRange: t("ports", "端口"),
  ports: t("ports", "个端口"),
  addresses: t("addresses", "个地址"),
  source: t("Source", "地址组"),
  undefinedSource: t("is not defined under `sources`.", "未在 `sources` 中定义。"),
  any: t("any address: 0.0.0.0/0 and ::/0", "任意地址：0.0.0.0/0 与 ::/0"),
  any4: t("any IPv4 address: 0.0.0.0/0", "任意 IPv4 地址：0.0.0.0/0"),
  any6: t("any IPv6 address: ::/0", "任意 IPv6 地址：::/0"),
  hostBits: t("has host bits set; the network is", "设置了主机位；其网络地址为"),
} as const;

/** Documentation of one catalog entry, RFCs linked. */
export function describePortEntry(entry: PortEntry, lang: Lang): string {
  return describeEntry(entry, lang, { rfcLinks: true });
}

/** A port number on a transport: everything the catalog knows about it, or a line saying it knows nothing. */
export function describePort(port: number, protocol: Protocol | undefined, lang: Lang): string {
  const query = protocol ? `${port}/${protocol}` : String(port);
  return explainPort(query, lang, { rfcLinks: true }) ?? `**${query}** ${LABELS.notInCatalog[lang]}`;
}

function describePortRange(from: number, to: number, protocol: Protocol | undefined, lang: Lang): string {
  if (from === to) return describePort(from, protocol, lang);
  return `**${from}-${to}${protocol ? `/${protocol}` : ""}**: ${to - from + 1} ${LABELS.ports[lang]}`;
}

/** Counts like 256, or 2^80 when the number is too long to read. */
function formatSize(size: bigint): string {
  if (size < 1_000_000_000n) return size.toLocaleString("en-US");
  return `2^${size.toString(2).length - 1}`;
}

/** One CIDR: its first and last address and how many addresses it holds. */
export function describeCidr(cidr: Cidr, lang: Lang): string {
  const iv = cidrToInterval(cidr);
  const first = formatAddress(cidr.family, iv.lo);
  const last = formatAddress(cidr.family, iv.hi);
  const span = iv.lo === iv.hi ? first : `${first} – ${last}`;
  return `\`${formatCidr(cidr)}\`: ${span} (${formatSize(cidrSize(cidr))} ${LABELS.addresses[lang]})`;
}

/** A literal address or prefix as written; undefined when it is not one. */
export function describeAddressText(text: string, lang: Lang): string | undefined {
  const parsed = parseCidr(text);
  if (!parsed) return undefined;
  const line = describeCidr(parsed.cidr, lang);
  if (!parsed.hostBits) return line;
  return `\`${text}\` ${LABELS.hostBits[lang]} \`${formatCidr(parsed.cidr)}\`.\n\n${line}`;
}

function describeSource(policy: Policy, name: string, lang: Lang): string {
  const group = policy.sources.get(name);
  if (!group) return `**${name}** ${LABELS.undefinedSource[lang]}`;
  const lines = group.cidrs.map((c) => `- ${describeCidr(c, lang)}`);
  return [`**${LABELS.source[lang]} \`${name}\`**`, "", ...lines].join("\n");
}

const within = (r: TextRange, offset: number) => r.start <= offset && offset <= r.end;

/** The hover at `offset` in a policy file, from the parsed model. */
export function policyHover(text: string, offset: number, lang: Lang): HoverText | undefined {
  let policy: Policy | undefined;
  try {
    policy = parsePolicy(text, lang).policy;
  } catch {
    policy = undefined;
  }
  if (policy) {
    for (const direction of [policy.inbound, policy.outbound]) {
      for (const rule of direction.rules) {
        for (const port of rule.ports) {
          if (!within(port.range, offset)) continue;
          const entry = port.service ? lookupService(port.service) : undefined;
          const markdown = entry
            ? describePortEntry(entry, lang)
            : describePortRange(port.from, port.to, port.protocol, lang);
          return { markdown, range: port.range };
        }
        for (const peer of rule.peers) {
          if (!within(peer.range, offset)) continue;
          if (peer.kind === "any" || peer.kind === "any4" || peer.kind === "any6") {
            return { markdown: `\`${peer.kind}\`: ${LABELS[peer.kind][lang]}`, range: peer.range };
          }
          if (peer.kind === "source") {
            return { markdown: describeSource(policy, peer.sourceName ?? peer.text, lang), range: peer.range };
          }
          const markdown = describeAddressText(peer.text, lang);
          if (markdown) return { markdown, range: peer.range };
        }
      }
    }
    for (const group of policy.sources.values()) {
      if (within(group.nameRange, offset)) {
        return { markdown: describeSource(policy, group.name, lang), range: group.nameRange };
      }
      for (const entry of group.entries) {
        const markdown = within(entry.range, offset) ? describeAddressText(entry.text, lang) : undefined;
        if (markdown) return { markdown, range: entry.range };
      }
    }
  }
  // While the file does not parse, still explain service names and addresses under the cursor.
  const word = wordAt(text, offset);
  if (!word) return undefined;
  const entry = lookupService(word.text);
  if (entry) return { markdown: describePortEntry(entry, lang), range: word.range };
  const address = /[.:]/.test(word.text) ? describeAddressText(word.text, lang) : undefined;
  return address ? { markdown: address, range: word.range } : undefined;
}

/** The run of name, number and address characters around `offset`. */
export function wordAt(text: string, offset: number): { text: string; range: TextRange } | undefined {
  const isWord = (ch: string | undefined) => ch !== undefined && /[A-Za-z0-9_.:/-]/.test(ch);
  let start = offset;
  let end = offset;
  while (start > 0 && isWord(text[start - 1])) start--;
  while (end < text.length && isWord(text[end])) end++;
  // A YAML key's colon or a sentence's full stop is not part of the word.
  while (end > start && /[.:/-]/.test(text[end - 1])) end--;
  if (end <= start) return undefined;
  return { text: text.slice(start, end), range: { start, end } };
}

const PORT_OPTIONS = /^--(?:dport|sport|dports|sports|destination-ports?|source-ports?|to-ports)$/;
const ADDRESS_OPTIONS = /^(?:-s|-d|--source|--destination|--src|--dst)$/;

/**
 * The hover at `offset` in an iptables-save file (or an `iptables` command line):
 * ports after `--dport`/`--dports`/`--sport`, addresses after `-s`/`-d`.
 */
export function iptablesHover(text: string, offset: number, lang: Lang): HoverText | undefined {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const nl = text.indexOf("\n", offset);
  const line = text.slice(lineStart, nl < 0 ? text.length : nl);
  const tokens = [...line.matchAll(/\S+/g)].map((m) => ({ text: m[0], start: lineStart + (m.index ?? 0) }));
  const proto = line.match(/(?:^|\s)(?:-p|--protocol)\s+(tcp|udp)\b/)?.[1] as Protocol | undefined;
  for (let i = 1; i < tokens.length; i++) {
    const option = tokens[i - 1].text;
    const value = tokens[i];
    if (offset < value.start || offset > value.start + value.text.length) continue;
    if (PORT_OPTIONS.test(option)) {
      // `25,465,587` and `6000:6010`: explain the item under the cursor.
      let pos = value.start;
      for (const item of value.text.split(",")) {
        const range = { start: pos, end: pos + item.length };
        pos += item.length + 1;
        if (!within(range, offset)) continue;
        const m = item.match(/^(\d+)(?::(\d+))?$/);
        if (m) return { markdown: describePortRange(Number(m[1]), Number(m[2] ?? m[1]), proto, lang), range };
        const entry = lookupService(item);
        if (entry) return { markdown: describePortEntry(entry, lang), range };
      }
    }
    if (ADDRESS_OPTIONS.test(option)) {
      const markdown = describeAddressText(value.text, lang);
      if (markdown) return { markdown, range: { start: value.start, end: value.start + value.text.length } };
    }
  }
  return undefined;
}
