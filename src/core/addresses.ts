/**
 * IP addresses and prefixes: parsing (plain forms here, anything else through
 * ipaddr.js), canonical text, and exact interval arithmetic on BigInt so prefix
 * sets can be subtracted and rebuilt as minimal CIDR lists. What a policy's
 * prefixes derive (interval, bits) is made once per prefix ({@link prefixOf}).
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
    const plain = parsePlainIPv6(s);
    if (plain !== undefined) return { family: 6, value: plain };
    if (!ipaddr.IPv6.isValid(s)) return undefined;
    return { family: 6, value: bytesToBigInt(ipaddr.IPv6.parse(s).toByteArray()) };
  }
  const v4 = parseIPv4(s);
  return v4 === undefined ? undefined : { family: 4, value: BigInt(v4) };
}

/**
 * IPv6 in its plain forms, eight groups of 1 to 4 hex digits or fewer around
 * one `::`, as a number. Undefined for anything else (an IPv4 tail, a zone, a
 * mistake): ipaddr.js decides those. Policies write addresses this way, and
 * parsing them here skips ipaddr.js's regular expressions and arrays.
 */
export function parsePlainIPv6(text: string): bigint | undefined {
  const gap = text.indexOf("::");
  let hex: string;
  if (gap < 0) {
    const groups = hexGroups(text);
    if (groups === undefined || groups.length !== 8) return undefined;
    hex = groups.join("");
  } else {
    if (text.indexOf("::", gap + 1) >= 0) return undefined;
    const left = gap === 0 ? [] : hexGroups(text.slice(0, gap));
    const right = gap + 2 === text.length ? [] : hexGroups(text.slice(gap + 2));
    if (left === undefined || right === undefined || left.length + right.length > 7) return undefined;
    hex = left.join("") + "0000".repeat(8 - left.length - right.length) + right.join("");
  }
  return BigInt(`0x${hex}`);
}

/** `a:b:c` as four-digit hex groups; undefined unless every group has 1 to 4 hex digits. */
function hexGroups(text: string): string[] | undefined {
  const groups = text.split(":");
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i];
    if (g.length === 0 || g.length > 4) return undefined;
    for (let j = 0; j < g.length; j++) {
      const c = g.charCodeAt(j);
      const lower = c | 0x20;
      if (!((c >= 48 && c <= 57) || (lower >= 97 && lower <= 102))) return undefined;
    }
    groups[i] = g.length === 4 ? g : "0000".slice(g.length) + g;
  }
  return groups;
}

/**
 * `a.b.c.d`, each part 0..255 in decimal without leading zeros, as an unsigned
 * 32-bit number; otherwise undefined. The same addresses ipaddr.js accepts with
 * `IPv4.isValidFourPartDecimal`, without its regular expressions and arrays.
 */
export function parseIPv4(text: string): number | undefined {
  const n = text.length;
  let value = 0;
  let i = 0;
  for (let part = 0; part < 4; part++) {
    if (part > 0) {
      if (i >= n || text.charCodeAt(i) !== 46) return undefined;
      i++;
    }
    const start = i;
    let octet = 0;
    while (i < n) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      octet = octet * 10 + d;
      i++;
      if (octet > 255) return undefined;
    }
    const digits = i - start;
    if (digits === 0 || (digits > 1 && text.charCodeAt(start) === 48)) return undefined;
    value = value * 256 + octet;
  }
  return i === n ? value : undefined;
}

export interface ParsedCidr {
  readonly cidr: Cidr;
  /** The text had bits set below the prefix (`10.0.0.1/8`). */
  readonly hostBits: boolean;
}

/**
 * Prefixes already read, by text. Policies repeat addresses, and the editor
 * re-reads the whole file on every keystroke: one shared (immutable) Cidr per
 * text also keeps everything derived from it ({@link prefixOf}) across checks.
 */
const parsedCidrs = new Map<string, ParsedCidr | null>();
/** Far more distinct prefixes than any policy holds; past it the cache starts over. */
const PARSED_CIDRS_LIMIT = 200_000;

/** Parses `a.b.c.d`, `a.b.c.d/n`, `x::y`, `x::y/n`. A bare address is a host prefix. */
export function parseCidr(text: string): ParsedCidr | undefined {
  let parsed = parsedCidrs.get(text);
  if (parsed === undefined) {
    parsed = readCidr(text) ?? null;
    if (parsedCidrs.size >= PARSED_CIDRS_LIMIT) parsedCidrs.clear();
    parsedCidrs.set(text, parsed);
  }
  return parsed ?? undefined;
}

function readCidr(text: string): ParsedCidr | undefined {
  const s = text.trim();
  const slash = s.indexOf("/");
  let prefix: number | undefined;
  if (slash >= 0) {
    const p = s.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p)) return undefined;
    prefix = Number(p);
  }
  const addressText = slash < 0 ? s : s.slice(0, slash);
  const v4 = addressText.includes(":") ? undefined : parseIPv4(addressText);
  if (v4 !== undefined) {
    // IPv4 in Numbers: 2^32 fits a double exactly.
    prefix ??= 32;
    if (prefix > 32) return undefined;
    const network = v4 - (v4 % 2 ** (32 - prefix));
    const address = `${Math.floor(network / 16777216)}.${(network >>> 16) & 255}.${(network >>> 8) & 255}.${network & 255}`;
    return { cidr: { family: 4, address, prefix }, hostBits: network !== v4 };
  }
  const addr = parseAddress(addressText);
  if (!addr) return undefined;
  const bits = FAMILY_BITS[addr.family];
  prefix ??= bits;
  if (prefix > bits) return undefined;
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

/**
 * A policy prefix with what checks and generators derive from it, made once
 * per Cidr object (policies are immutable; source groups share their Cidrs).
 */
export interface Prefix extends AddressInterval {
  readonly cidr: Cidr;
  /** The network bits, most significant first, `prefix` characters (see {@link prefixBits}). */
  readonly bits: string;
}

const prefixes = new WeakMap<Cidr, Prefix>();

export function prefixOf(c: Cidr): Prefix {
  let p = prefixes.get(c);
  if (!p) {
    const v4 = c.family === 4 ? parseIPv4(c.address) : undefined;
    if (v4 !== undefined) {
      // 2^32 fits a double exactly: IPv4 needs no BigInt arithmetic.
      const size = 2 ** (32 - c.prefix);
      const bits = ipv4Bits(v4, c.prefix);
      p = { family: 4, lo: BigInt(v4), hi: BigInt(v4 - (v4 % size) + size - 1), cidr: c, bits };
    } else {
      const lo = parseAddress(c.address)?.value ?? 0n;
      const hostMask = (1n << BigInt(FAMILY_BITS[c.family] - c.prefix)) - 1n;
      p = { family: c.family, lo, hi: lo | hostMask, cidr: c, bits: prefixBits(c.family, lo, c.prefix) };
    }
    prefixes.set(c, p);
  }
  return p;
}

export function cidrToInterval(c: Cidr): AddressInterval {
  return prefixOf(c);
}

/** The first `prefix` bits of `lo`, most significant first. */
export function prefixBits(family: AddressFamily, lo: bigint, prefix: number): string {
  if (family === 4) return ipv4Bits(Number(lo), prefix);
  const hex = lo.toString(16).padStart(32, "0");
  let bits = "";
  for (let i = 0; i * 4 < prefix; i++) bits += NIBBLE_BITS[Number.parseInt(hex[i], 16)];
  return bits.length === prefix ? bits : bits.slice(0, prefix);
}

// Number.prototype.toString(2) with padStart costs about a microsecond; table lookups a tenth of that.
const BYTE_BITS = Array.from({ length: 256 }, (_, i) => i.toString(2).padStart(8, "0"));
const NIBBLE_BITS = Array.from({ length: 16 }, (_, i) => i.toString(2).padStart(4, "0"));

function ipv4Bits(value: number, prefix: number): string {
  if (prefix === 0) return "";
  const bits =
    BYTE_BITS[value >>> 24] + BYTE_BITS[(value >>> 16) & 255] + BYTE_BITS[(value >>> 8) & 255] + BYTE_BITS[value & 255];
  return prefix === 32 ? bits : bits.slice(0, prefix);
}

/**
 * The fewest prefixes that cover exactly `[lo, hi]`, as their bit strings
 * (see {@link prefixBits}), in address order.
 */
export function intervalToBits(family: AddressFamily, lo: bigint, hi: bigint): string[] {
  if (family === 6) return intervalToPrefixes(family, lo, hi).map(([start, prefix]) => prefixBits(6, start, prefix));
  const out: string[] = [];
  const last = Number(hi);
  let cur = Number(lo);
  while (cur <= last) {
    // Largest aligned block starting at cur that stays within last; `x & -x` is the lowest set bit.
    let size = cur === 0 ? 2 ** 32 : (cur & -cur) >>> 0;
    while (cur + size - 1 > last) size /= 2;
    const prefix = size === 2 ** 32 ? 0 : 1 + Math.clz32(size);
    out.push(ipv4Bits(cur, prefix));
    cur += size;
  }
  return out;
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
