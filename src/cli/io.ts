/** Where the command's output goes; the real process in `main.ts`, a buffer in tests. */
import { toPrintable } from "../core/format";
import type { LocaleEnv } from "./args";

export interface CliIo {
  /** Standard output. */
  out(text: string): void;
  /** Standard error. */
  err(text: string): void;
  /** The terminal's width, when standard output is one. */
  readonly columns?: number;
  readonly env: LocaleEnv;
}

/** One `mailpolicy: ...` line for standard error, safe for a terminal whatever the file names contain. */
export function errorLine(message: string): string {
  return `mailpolicy: ${toPrintable(message.replace(/\s*[\r\n]+\s*/g, " "))}\n`;
}
