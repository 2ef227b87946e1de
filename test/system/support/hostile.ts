/**
 * Note texts that try to break out of an iptables comment or a cloud
 * description: rule injection through newlines, option injection through
 * quotes, escapes, control characters, CJK and emoji, and sheer length.
 */
import fc from "fast-check";

/** Hand-picked attacks, each named for the failure it would cause. */
export const HOSTILE_NOTES: readonly string[] = [
  'pwn\n-A INPUT -j ACCEPT\n-A INPUT -m comment --comment "z',
  "pwn\r\n-A INPUT -j ACCEPT",
  'evil" -j ACCEPT -m comment --comment "x',
  "evil' -j ACCEPT",
  "back\\slash\\",
  '\\" -j ACCEPT #',
  "tab\there\vvertical\fform",
  "nul\u0000byte",
  "esc\u001b[31mred",
  "del\u007fchar",
  "line\u2028separator\u2029paragraph",
  "阿里云企业邮箱 smtp.qiye.aliyun.com:465",
  "邮件".repeat(200),
  "emoji 📨🔥 mail",
  "rtl \u202e-j ACCEPT",
  "zero\u200bwidth",
  "COMMIT\n*filter\n:INPUT ACCEPT [0:0]",
  "-j ACCEPT",
  "--comment",
  "$(reboot) `id` $" + "{HOME}",
  "x".repeat(10_000),
  "ü".repeat(300),
  " ",
  "#",
  '"',
  "\\",
];

/** Any text, biased towards the characters that matter to iptables and JSON. */
export function hostileNoteArbitrary(): fc.Arbitrary<string> {
  const dangerous = fc.constantFrom("\n", "\r", '"', "'", "\\", "\t", "\u0000", "#", "-", " ", "中", "📨", "\u202e");
  const piece = fc.oneof(
    fc.string({ unit: "grapheme", maxLength: 20 }),
    fc.string({ unit: "binary", maxLength: 20 }),
    dangerous,
    fc.constantFrom(...HOSTILE_NOTES),
    fc.constantFrom("-A INPUT -j ACCEPT", "-j DROP", "COMMIT", "*filter"),
  );
  return fc
    .array(piece, { minLength: 1, maxLength: 8 })
    .map((parts) => parts.join(""))
    .filter((s) => s.trim().length > 0);
}

/**
 * True when the text holds a C0 or C1 control, DEL or a Unicode line or
 * paragraph separator: none may survive into a comment or a description.
 */
export function hasControlCharacter(text: string): boolean {
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f) || cp === 0x2028 || cp === 0x2029) return true;
  }
  return false;
}
