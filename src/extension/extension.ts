/**
 * The extension's entry point: registers one feature per file. Each feature is a
 * `(context, log) => Disposable` so a new one (the preview, the commands) is one
 * import and one line in FEATURES.
 */
import * as vscode from "vscode";
import { registerCodeActions } from "./codeActions";
import { registerCommands } from "./commands/index";
import { registerCompletion } from "./completion";
import { registerDiagnostics } from "./diagnostics";
import { registerHover } from "./hover";
import { createLog, type Log } from "./log";
import { registerPreviewFeatures } from "./preview/index";

/** Registers one editor feature; everything it creates is disposed with the returned value. */
export type Feature = (context: vscode.ExtensionContext, log: Log) => vscode.Disposable;

const FEATURES: readonly Feature[] = [
  registerDiagnostics,
  registerHover,
  registerCompletion,
  registerCodeActions,
  registerPreviewFeatures,
  registerCommands,
];

export function activate(context: vscode.ExtensionContext): void {
  const log = createLog();
  context.subscriptions.push(log);
  for (const feature of FEATURES) {
    try {
      context.subscriptions.push(feature(context, log));
    } catch (err) {
      // One broken feature must not take the others down with it.
      log.error(`feature ${feature.name} failed to start: ${String(err)}`);
    }
  }
  log.info(`activated (${vscode.env.uiKind === vscode.UIKind.Web ? "web" : "desktop"}, ${vscode.env.language})`);
}

export function deactivate(): void {}
