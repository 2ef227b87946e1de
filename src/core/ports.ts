/**
 * Port specs as written in a rule (`smtp`, `143`, `9100/tcp`, `6000-6010/udp`)
 * -> PortSpec values, with the diagnostics a mistyped one deserves.
 */
import { lookupService, SERVICE_NAMES } from "./catalog";
import { DEFAULT_SEVERITY, type DiagnosticCode, type PolicyDiagnostic } from "./diagnostics";
import { localize } from "./i18n";
import type { Lang, PortSpec, Protocol, TextRange } from "./model";
import { nearestName } from "./suggest";

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

const NUMERIC_SPEC = /^(\d+)(?:-(\d+))?(?:\/([A-Za-z0-9]+))?$/;
const NAMED_SPEC = /^([A-Za-z][A-Za-z0-9_.-]*)(?:\/([A-Za-z0-9]+))?$/;

export interface ParsedPortSpec {
  /** One per transport: a name whose catalog entry lists tcp and udp gives two. */
  readonly specs: PortSpec[];
  readonly diagnostics: readonly PolicyDiagnostic[];
}

/**
 * Reads one port spec. `text` is the scalar as written, `range` where it is.
 * An unusable spec yields no PortSpec and one diagnostic.
 */
export function parsePortSpec(text: string, range: TextRange, lang: Lang): ParsedPortSpec {
  // Rules repeat a few dozen port texts, and the editor re-reads them on every keystroke.
  const known = cleanPortTexts.get(text);
  if (known) {
    // Written out rather than spread: spreading made this the busiest allocation of a whole check.
    const specs: PortSpec[] = [];
    for (const { text, service, protocol, from, to } of known) {
      specs.push(
        service === undefined ? { text, protocol, from, to, range } : { text, service, protocol, from, to, range },
      );
    }
    return { specs, diagnostics: NO_DIAGNOSTICS };
  }
  const parsed = readPortSpec(text, range, lang);
  if (parsed.diagnostics.length === 0) {
    if (cleanPortTexts.size >= CLEAN_PORT_TEXTS_LIMIT) cleanPortTexts.clear();
    cleanPortTexts.set(
      text,
      parsed.specs.map(({ range: _, ...shape }) => shape),
    );
  }
  return parsed;
}

const NO_DIAGNOSTICS: readonly PolicyDiagnostic[] = [];

/** Port texts that read without a finding, by text (language-independent then). */
const cleanPortTexts = new Map<string, Omit<PortSpec, "range">[]>();
const CLEAN_PORT_TEXTS_LIMIT = 10_000;

function readPortSpec(text: string, range: TextRange, lang: Lang): ParsedPortSpec {
  const fail = (code: DiagnosticCode, en: string, zh: string, suggestion?: string): ParsedPortSpec => ({
    specs: [],
    diagnostics: [
      {
        code,
        severity: DEFAULT_SEVERITY[code],
        message: localize(lang, { en, "zh-cn": zh }),
        range,
        ...(suggestion !== undefined ? { suggestion } : {}),
      },
    ],
  });
  const badProtocol = (proto: string) =>
    fail(
      "schema.type",
      `Transport \`${proto}\` is not supported: write \`/tcp\` or \`/udp\` (or leave it out for tcp).`,
      `不支持传输协议 \`${proto}\`：请写 \`/tcp\` 或 \`/udp\`（省略时为 tcp）。`,
    );

  const numeric = NUMERIC_SPEC.exec(text);
  if (numeric) {
    const from = Number(numeric[1]);
    const to = numeric[2] === undefined ? from : Number(numeric[2]);
    const proto = numeric[3]?.toLowerCase();
    if (proto !== undefined && proto !== "tcp" && proto !== "udp") return badProtocol(numeric[3] ?? "");
    for (const port of [from, to]) {
      if (port < MIN_PORT || port > MAX_PORT) {
        return fail(
          "port.range",
          `Port ${numeric[1]}${numeric[2] ? `-${numeric[2]}` : ""} is outside 1-65535: use a port between 1 and 65535.`,
          `端口 ${numeric[1]}${numeric[2] ? `-${numeric[2]}` : ""} 超出 1-65535：请使用 1 到 65535 之间的端口。`,
        );
      }
    }
    if (from > to) {
      const fixed = `${to}-${from}${numeric[3] ? `/${numeric[3]}` : ""}`;
      return fail(
        "port.range",
        `The range ${from}-${to} runs backwards: write the smaller port first (\`${fixed}\`).`,
        `端口范围 ${from}-${to} 顺序颠倒：请先写较小的端口（\`${fixed}\`）。`,
        fixed,
      );
    }
    return { specs: [{ text, protocol: (proto ?? "tcp") as Protocol, from, to, range }], diagnostics: [] };
  }

  const named = NAMED_SPEC.exec(text);
  if (named) {
    const name = named[1];
    const proto = named[2]?.toLowerCase();
    const entry = lookupService(name);
    if (!entry) {
      const near = nearestName(name, SERVICE_NAMES);
      const fixed = near === undefined ? undefined : named[2] ? `${near}/${named[2]}` : near;
      return fail(
        "port.unknown-service",
        near
          ? `Unknown service \`${name}\`; did you mean \`${near}\`?`
          : `Unknown service \`${name}\`: use a catalog name (such as \`imaps\`) or a port number such as \`993/tcp\`.`,
        near
          ? `未知服务 \`${name}\`，是否想写 \`${near}\`？`
          : `未知服务 \`${name}\`：请使用目录中的名称（如 \`imaps\`）或端口号（如 \`993/tcp\`）。`,
        fixed,
      );
    }
    if (proto !== undefined && proto !== "tcp" && proto !== "udp") return badProtocol(named[2] ?? "");
    const protocols: readonly Protocol[] = proto ? [proto as Protocol] : entry.protocols;
    return {
      specs: protocols.map((protocol) => ({
        text,
        service: entry.key,
        protocol,
        from: entry.port,
        to: entry.port,
        range,
      })),
      diagnostics: [],
    };
  }

  return fail(
    "schema.type",
    `\`${text}\` is not a port: write a service name (\`imaps\`), a number (\`993\`), \`993/tcp\`, \`514/udp\` or a range (\`6000-6010/udp\`).`,
    `\`${text}\` 不是端口：请写服务名（\`imaps\`）、端口号（\`993\`）、\`993/tcp\`、\`514/udp\` 或范围（\`6000-6010/udp\`）。`,
  );
}

/** True when the spec matches `port` on `protocol`. */
export function portSpecCovers(spec: PortSpec, port: number, protocol: Protocol): boolean {
  return spec.protocol === protocol && spec.from <= port && port <= spec.to;
}

/** The spec was written as a bare number or number/transport (not a name, not a range). */
export function isSinglePortNumber(spec: PortSpec): boolean {
  return spec.service === undefined && spec.from === spec.to;
}
