/** The extension's log: one output channel, "Mail Policy", with log levels. */
import * as vscode from "vscode";

export type Log = vscode.LogOutputChannel;

export function createLog(): Log {
  return vscode.window.createOutputChannel("Mail Policy", { log: true });
}
