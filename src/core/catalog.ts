/**
 * STUB (to be written): the port catalog. Every service a policy can name, with
 * verified facts (../reference/mail-ports.md) in English and Simplified Chinese.
 */
import type { Localized, Protocol } from "./model";

export type TlsMode = "implicit-tls" | "starttls" | "plaintext" | "not-tls";

export interface PortEntry {
  /** The name used in policy files: `smtp`, `submissions`, `node-exporter`. */
  readonly key: string;
  /** Other accepted names (`smtps` for submissions). */
  readonly aliases: readonly string[];
  readonly port: number;
  /** Transports; the first is the default when the name is used without one. */
  readonly protocols: readonly Protocol[];
  /** The IANA registry's name for this port and transport, or null when it has none. */
  readonly ianaName: string | null;
  readonly tls: TlsMode;
  readonly rfcs: readonly string[];
  readonly purpose: Localized;
  readonly advice: Localized;
  /** For plaintext access protocols: the implicit-TLS twin's key (pop3 -> pop3s). */
  readonly tlsTwin?: string;
  /** Administration and monitoring ports that must not be open to `any`. */
  readonly adminOnly: boolean;
}

export const CATALOG: readonly PortEntry[] = [];

export function lookupService(name: string): PortEntry | undefined {
  return CATALOG.find((e) => e.key === name || e.aliases.includes(name));
}

export function lookupPort(port: number, protocol?: Protocol): PortEntry[] {
  return CATALOG.filter((e) => e.port === port && (!protocol || e.protocols.includes(protocol)));
}
