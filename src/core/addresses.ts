/**
 * IP addresses and prefixes: parsing (through ipaddr.js), canonical text, and
 * exact interval arithmetic on BigInt so prefix sets can be subtracted and
 * rebuilt as minimal CIDR lists.
 */
import ipaddr from "ipaddr.js";
import type { AddressFamily, Cidr } from "./model";

/** A contiguous block of addresses `[lo, hi]` of one family. */
export interface AddressInterval {
  readonly family: AddressFamily;
  readonly lo: bigint;
  readonly hi: bigint;
}

export const FAMILY_BITS: Record<AddressFamily, number> = { 4: 32, 6: 128 };
export const ANY4: Cidr = { family: 4, address: "0.0.0.0", prefix: 0 };
export const ANY6: Cidr = { family: 6, address: "::", prefix: 0 };

/** Parses a single address; IPv4 only in dotted four-part decimal, IPv6 without zone. */
export function parseAddress(text: string): { family: AddressFamily; value: bigint } | undefined {
  const s = text.trim();
  if (s.includes("%")) return undefined;
  if (s.includes(":")) {
    if (!ipaddr.IPv6.isValid(s)) return undefined;
    return { family: 6, value: bytesToBigInt(ipaddr.IPv6.parse(s).toByteArray()) };
  }
  if (!ipaddr.IPv4.isValidFourPartDecimal(s)) return undefined;
  return { family: 4, value: bytesToBigInt(ipaddr.IPv4.parse(s).toByteArray()) };
}

export interface ParsedCidr {
  readonly cidr: Cidr;
  /** The text had bits set below the prefix (`10.0.0.1/8`). */
  readonly hostBits: boolean;
}

/** Parses `a.b.c.d`, `a.b.c.d/n`, `x::y`, `x::y/n`. A bare address is a host prefix. */
export function parseCidr(text: string): ParsedCidr | undefined {
  const s = text.trim();
  const slash = s.indexOf("/");
  const addr = parseAddress(slash < 0 ? s : s.slice(0, slash));
  if (!addr) return undefined;
  const bits = FAMILY_BITS[addr.family];
  let prefix = bits;
  if (slash >= 0) {
    const p = s.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p)) return undefined;
    prefix = Number(p);
    if (prefix > bits) return undefined;
  }
  const network = addr.value & prefixMask(addr.family, prefix);
  return {
    cidr: { family: addr.family, address: formatAddress(addr.family, network), prefix },
    hostBits: network !== addr.value,
  };
}

/** `203.0.113.0/24`, `2001:db8::/32`. Hosts keep their `/32` or `/128`, as iptables-save prints them. */
export function formatCidr(c: Cidr): string {
  return `${c.address}/${c.prefix}`;
}

// Source groups share their prefixes across many rules: parse each prefix once.
const intervals = new WeakMap<Cidr, AddressInterval>();

export function cidrToInterval(c: Cidr): AddressInterval {
  let iv = intervals.get(c);
  if (!iv) {
    const lo = parseAddress(c.address)?.value ?? 0n;
    const hostMask = (1n << BigInt(FAMILY_BITS[c.family] - c.prefix)) - 1n;
    iv = { family: c.family, lo, hi: lo | hostMask };
    intervals.set(c, iv);
  }
  return iv;
}

/** The number of addresses in a prefix. */
export function cidrSize(c: Cidr): bigint {
  return 1n << BigInt(FAMILY_BITS[c.family] - c.prefix);
}

export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  if (outer.family !== inner.family || outer.prefix > inner.prefix) return false;
  const a = cidrToInterval(outer);
  const b = cidrToInterval(inner);
  return a.lo <= b.lo && b.hi <= a.hi;
}

export function addressInCidr(address: string, c: Cidr): boolean {
  const a = parseAddress(address);
  if (!a || a.family !== c.family) return false;
  const iv = cidrToInterval(c);
  return iv.lo <= a.value && a.value <= iv.hi;
}

/** The fewest prefixes that cover exactly `[lo, hi]`, in address order. */
export function intervalToCidrs(family: AddressFamily, lo: bigint, hi: bigint): Cidr[] {
  return intervalToPrefixes(family, lo, hi).map(([start, prefix]) => ({
    family,
    address: formatAddress(family, start),
    prefix,
  }));
}

/** The same as intervalToCidrs, as `[first address, prefix length]` pairs, without text. */
export function intervalToPrefixes(family: AddressFamily, lo: bigint, hi: bigint): [bigint, number][] {
  const bits = FAMILY_BITS[family];
  const out: [bigint, number][] = [];
  let cur = lo;
  while (cur <= hi) {
    // Largest aligned block starting at cur that stays within hi.
    let size = cur === 0n ? 1n << BigInt(bits) : cur & -cur;
    while (cur + size - 1n > hi) size >>= 1n;
    out.push([cur, bits - log2(size)]);
    cur += size;
  }
  return out;
}

/**
 * Canonical text of an address, as glibc's inet_ntop prints it (and so as
 * iptables-save does): RFC 5952 zero compression, and an embedded IPv4 tail
 * for IPv4-mapped (`::ffff:a.b.c.d`) and IPv4-compatible (`::a.b.c.d`) forms.
 */
export function formatAddress(family: AddressFamily, value: bigint): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((s) => Number((value >> s) & 255n)).join(".");
  }
  const words: number[] = [];
  for (let i = 7; i >= 0; i--) words.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  // Longest run of zero words (length >= 2), the first one on a tie.
  let bestBase = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestBase = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestBase = -1;
  const v4tail = (w6: number, w7: number) => `${w6 >> 8}.${w6 & 255}.${w7 >> 8}.${w7 & 255}`;
  let out = "";
  for (let i = 0; i < 8; i++) {
    if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ":";
      continue;
    }
    if (i !== 0) out += ":";
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))) {
      return out + v4tail(words[6], words[7]);
    }
    out += words[i].toString(16);
  }
  if (bestBase >= 0 && bestBase + bestLen === 8) out += ":";
  return out;
}

export function prefixMask(family: AddressFamily, prefix: number): bigint {
  const bits = FAMILY_BITS[family];
  const all = (1n << BigInt(bits)) - 1n;
  return all ^ ((1n << BigInt(bits - prefix)) - 1n);
}

function bytesToBigInt(bytes: number[]): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

/** log2 of a power of two. */
function log2(size: bigint): number {
  return size.toString(2).length - 1;
}
