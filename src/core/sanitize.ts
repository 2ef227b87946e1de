/**
 * Free text (a rule's `note`, the policy `name`) made safe for each target.
 *
 * A note is user text that ends up inside a firewall file. In iptables-save a
 * raw newline starts a new rule and a stray quote adds options, so every
 * target gets its own whitelist or escaping here, and generators never put
 * user text anywhere else.
 */

/** A note as a target will carry it, and whether it had to change. */
export interface SanitizedText {
  readonly text: string;
  /** True when the text differs from the note as written. */
  readonly changed: boolean;
}

/** Longest comment the kernel keeps (xt_comment: 256 bytes with the terminating NUL). */
export const IPTABLES_COMMENT_MAX_BYTES = 255;
/** EC2 `IpRange.Description` / `Ipv6Range.Description`. */
export const AWS_DESCRIPTION_MAX = 255;
/** Alibaba Cloud `Permissions.N.Description`. */
export const ALIYUN_DESCRIPTION_MAX = 512;

const AWS_ALLOWED = /[^a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]/g;
const IPTABLES_BARE = /^[A-Za-z0-9_-]+$/;

/**
 * C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the
 * bidirectional overrides (which make a comment read differently than it is).
 */
export function isControl(codePoint: number): boolean {
  return (
    codePoint <= 0x1f ||
    (codePoint >= 0x7f && codePoint <= 0x9f) ||
    codePoint === 0x2028 ||
    codePoint === 0x2029 ||
    (codePoint >= 0x202a && codePoint <= 0x202e) ||
    (codePoint >= 0x2066 && codePoint <= 0x2069)
  );
}

/** Replaces controls and line separators by spaces, and lone surrogates (not UTF-8 encodable) by U+FFFD. */
export function stripControls(text: string): string {
  let out = "";
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (isControl(cp)) out += " ";
    else if (cp >= 0xd800 && cp <= 0xdfff) out += "\ufffd";
    else out += ch;
  }
  return out;
}

/** The UTF-8 length of a string. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const ch of text) bytes += utf8Width(ch.codePointAt(0)!);
  return bytes;
}

function utf8Width(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/** Cuts `text` to at most `maxBytes` of UTF-8 without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  let bytes = 0;
  let out = "";
  for (const ch of text) {
    const n = utf8Width(ch.codePointAt(0)!);
    if (bytes + n > maxBytes) break;
    bytes += n;
    out += ch;
  }
  return out;
}

/** Cuts `text` to at most `max` UTF-16 code units without splitting a surrogate pair. */
function truncateChars(text: string, max: number): string {
  let out = "";
  for (const ch of text) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out;
}

/**
 * The text of an iptables comment: controls become spaces, then the text is cut
 * to 255 UTF-8 bytes (what the kernel keeps anyway, so iptables-save prints
 * what we wrote). Quote the result with {@link quoteIptablesArg}.
 */
export function sanitizeIptablesComment(note: string): SanitizedText {
  const text = truncateUtf8(stripControls(note), IPTABLES_COMMENT_MAX_BYTES);
  return { text, changed: text !== note };
}

/**
 * One argument as iptables-save prints it (libxtables `xtables_save_string`):
 * bare when it is non-empty and only `[A-Za-z0-9_-]`, otherwise in double
 * quotes with `"`, `\` and `'` backslash-escaped. iptables-restore reads this
 * back as exactly one argument, provided the text has no newline.
 */
export function quoteIptablesArg(text: string): string {
  if (IPTABLES_BARE.test(text)) return text;
  return `"${text.replace(/["\\']/g, (c) => `\\${c}`)}"`;
}

/**
 * An EC2 security-group rule description: only the characters EC2 accepts
 * (`a-zA-Z0-9`, space and `._-:/()#,@[]+=&;{}!$*`), runs of spaces collapsed,
 * at most 255 characters. When nothing is left, `fallback` (the port text).
 */
export function sanitizeAwsDescription(note: string, fallback: string): SanitizedText {
  let text = stripControls(note).replace(AWS_ALLOWED, "").replace(/ {2,}/g, " ").trim();
  text = text.slice(0, AWS_DESCRIPTION_MAX).trimEnd();
  if (text === "") text = fallbackDescription(fallback, AWS_ALLOWED, AWS_DESCRIPTION_MAX);
  return { text, changed: text !== note };
}

/**
 * An Alibaba Cloud rule description: no controls, 1 to 512 characters. When
 * nothing is left, `fallback` (the port text).
 */
export function sanitizeAliyunDescription(note: string, fallback: string): SanitizedText {
  let text = truncateChars(stripControls(note), ALIYUN_DESCRIPTION_MAX);
  if (text.trim() === "") text = truncateChars(stripControls(fallback), ALIYUN_DESCRIPTION_MAX);
  return { text, changed: text !== note };
}

/** One safe line for a `#` comment in a generated file. */
export function sanitizeCommentLine(text: string): string {
  return stripControls(text).replace(/ {2,}/g, " ").trim();
}

function fallbackDescription(fallback: string, disallowed: RegExp, max: number): string {
  return stripControls(fallback).replace(disallowed, "").replace(/ {2,}/g, " ").trim().slice(0, max);
}
