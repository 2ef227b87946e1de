/** The preview's UI texts, localized here so the webview needs no l10n of its own. */
import * as vscode from "vscode";
import type { PreviewLabels } from "./protocol";

export function previewLabels(): PreviewLabels {
  return {
    hostTitle: vscode.l10n.t("Host firewall (iptables-save)"),
    cloudTitle: vscode.l10n.t("Cloud security group"),
    ipv4: vscode.l10n.t("IPv4"),
    ipv6: vscode.l10n.t("IPv6"),
    aliyun: vscode.l10n.t("Alibaba Cloud"),
    aws: vscode.l10n.t("AWS"),
    copy: vscode.l10n.t("Copy"),
    save: vscode.l10n.t("Save…"),
    copied: vscode.l10n.t("Copied"),
    lock: vscode.l10n.t("Lock"),
    unlock: vscode.l10n.t("Unlock"),
    lockedHint: vscode.l10n.t("A locked preview keeps showing this policy; an unlocked one follows the active editor."),
    errorsTitle: vscode.l10n.t("The policy has errors: nothing is generated"),
    errorsHint: vscode.l10n.t("Fix these errors and the output appears here. Click an error to go to it."),
    notConfigured: vscode.l10n.t("This target is not listed under targets: in the policy; shown for reference."),
    failed: vscode.l10n.t("Generating this target failed:"),
    empty: vscode.l10n.t("Nothing to generate for this target."),
    lineTitle: vscode.l10n.t("Click to show the rule this line comes from"),
  };
}
