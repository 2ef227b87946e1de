/**
 * Reading policy files defensively (size, binary, encoding) and writing generated
 * files atomically, so a failed run never leaves a half-written firewall file.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { localize } from "../core/i18n";
import type { Lang } from "../core/model";
import { CliError } from "./args";
import { MSG } from "./messages";

/**
 * Hand-written policies are small, but generated ones (one rule per customer
 * network) reach 50,000 rules, about 3 MB; past 16 MiB it is surely the wrong file.
 */
export const MAX_POLICY_BYTES = 16 * 1024 * 1024;

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Reads at most `limit + 1` bytes, so an endless or huge input is never loaded whole. */
function readBounded(fd: number, limit: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const chunk = new Uint8Array(64 * 1024);
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(fd, chunk, 0, Math.min(chunk.length, limit + 1 - total), null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "EAGAIN") continue;
      if ((err as NodeJS.ErrnoException).code === "EOF") break;
      throw err;
    }
    if (n === 0) break;
    chunks.push(chunk.slice(0, n));
    total += n;
    if (total > limit) break;
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return bytes;
}

function readError(file: string, err: unknown, lang: Lang): CliError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "ENOENT" || code === "ENOTDIR") return new CliError(localize(lang, MSG.noSuchFile(file)));
  if (code === "EISDIR") return new CliError(localize(lang, MSG.isDirectory(file)));
  if (code === "EACCES" || code === "EPERM") return new CliError(localize(lang, MSG.noPermission(file)));
  if (code === "ENXIO" || code === "ENODEV") return new CliError(localize(lang, MSG.notRegular(file)));
  const reason = code ?? String((err as Error).message ?? err).split("\n")[0];
  return new CliError(localize(lang, MSG.readFailed(file, reason)));
}

/**
 * Turns a file's bytes into text, refusing what is not a UTF-8 text file: NUL bytes
 * (binary), UTF-16, invalid UTF-8 (naming the first bad line). A UTF-8 BOM is dropped.
 */
export function decodePolicyBytes(file: string, bytes: Uint8Array, lang: Lang): string {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    throw new CliError(localize(lang, MSG.utf16(file)));
  }
  if (bytes.includes(0)) throw new CliError(localize(lang, MSG.binary(file)));
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    // Newline bytes never occur inside a multi-byte sequence: decode line by line to find the culprit.
    const strict = new TextDecoder("utf-8", { fatal: true });
    let line = 1;
    let start = 0;
    for (let i = 0; i <= bytes.length; i++) {
      if (i < bytes.length && bytes[i] !== 10) continue;
      try {
        strict.decode(bytes.subarray(start, i));
      } catch {
        break;
      }
      line++;
      start = i + 1;
    }
    throw new CliError(localize(lang, MSG.invalidUtf8(file, line)));
  }
}

/** How standard input (`-`) is named in messages and reports. */
export const STDIN_NAME = "<stdin>";

/** Reads a policy file (`-` is standard input) as text, or throws a {@link CliError} saying why not. */
export function readPolicyFile(file: string, lang: Lang): string {
  let bytes: Uint8Array;
  if (file === "-") {
    file = STDIN_NAME;
    try {
      bytes = readBounded(0, MAX_POLICY_BYTES);
    } catch (err) {
      throw readError(file, err, lang);
    }
  } else {
    let fd: number;
    try {
      fd = fs.openSync(file, "r");
    } catch (err) {
      throw readError(file, err, lang);
    }
    try {
      const stat = fs.fstatSync(fd);
      if (stat.isDirectory()) throw new CliError(localize(lang, MSG.isDirectory(file)));
      if (stat.isFile() && stat.size > MAX_POLICY_BYTES) {
        throw new CliError(localize(lang, MSG.tooLarge(file, megabytes(stat.size), megabytes(MAX_POLICY_BYTES))));
      }
      bytes = readBounded(fd, MAX_POLICY_BYTES);
    } catch (err) {
      throw err instanceof CliError ? err : readError(file, err, lang);
    } finally {
      fs.closeSync(fd);
    }
  }
  if (bytes.length > MAX_POLICY_BYTES) {
    throw new CliError(
      localize(lang, MSG.tooLarge(file, `> ${megabytes(MAX_POLICY_BYTES)}`, megabytes(MAX_POLICY_BYTES))),
    );
  }
  return decodePolicyBytes(file, bytes, lang);
}

/** A generated file to write: its name inside the output directory and its contents. */
export interface OutputFile {
  readonly name: string;
  readonly text: string;
}

function reasonOf(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ?? String(e.message ?? err).split("\n")[0];
}

/**
 * Writes every file into `dir` or none: each goes to a fresh temporary file in `dir`
 * (flushed to disk, keeping an existing file's mode), and only once all are written
 * and every destination is known to be replaceable are they renamed into place. On
 * any failure the temporary files are removed and the previous files stay as they were.
 * Creates `dir` when missing. Returns the paths written.
 */
export function writeFilesAtomically(dir: string, files: readonly OutputFile[], lang: Lang): string[] {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "EEXIST" || code === "ENOTDIR") throw new CliError(localize(lang, MSG.outNotDirectory(dir)));
    throw new CliError(localize(lang, MSG.writeFailed(dir, reasonOf(err))));
  }
  if (!fs.statSync(dir).isDirectory()) throw new CliError(localize(lang, MSG.outNotDirectory(dir)));

  const staged: { temp: string; dest: string }[] = [];
  const cleanUp = () => {
    for (const { temp } of staged) fs.rmSync(temp, { force: true });
  };
  try {
    for (const file of files) {
      const dest = path.join(dir, file.name);
      const temp = path.join(dir, `.${file.name}.${process.pid}-${Math.random().toString(36).slice(2, 10)}.tmp`);
      let fd: number;
      try {
        fd = fs.openSync(temp, "wx", 0o644);
      } catch (err) {
        throw new CliError(localize(lang, MSG.writeFailed(temp, reasonOf(err))));
      }
      staged.push({ temp, dest });
      try {
        const existing = fs.statSync(dest, { throwIfNoEntry: false });
        if (existing?.isFile()) fs.fchmodSync(fd, existing.mode & 0o7777);
        fs.writeSync(fd, file.text);
        fs.fsyncSync(fd);
      } catch (err) {
        throw new CliError(localize(lang, MSG.writeFailed(dest, reasonOf(err))));
      } finally {
        fs.closeSync(fd);
      }
    }
    // Check every destination before the first rename, so a blocked one changes nothing.
    for (const { dest } of staged) {
      const existing = fs.lstatSync(dest, { throwIfNoEntry: false });
      if (existing && !existing.isFile() && !existing.isSymbolicLink()) {
        throw new CliError(localize(lang, MSG.targetOccupied(dest)));
      }
    }
    for (const { temp, dest } of staged) {
      try {
        fs.renameSync(temp, dest);
      } catch (err) {
        throw new CliError(localize(lang, MSG.writeFailed(dest, reasonOf(err))));
      }
    }
  } catch (err) {
    cleanUp();
    throw err;
  }
  syncDirectory(dir);
  return staged.map((s) => s.dest);
}

/** Makes the renames durable; not every file system supports it, and it is not worth failing for. */
function syncDirectory(dir: string): void {
  try {
    const fd = fs.openSync(dir, "r");
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Best effort only.
  }
}
