/**
 * The preview state the extension builds for a policy text, as in
 * PolicyPreview.computeState: what the preview rows time and send.
 */
import { checkPolicy } from "../src/core/check";
import { previewStateOf } from "../src/extension/preview/previewModel";
import type { PreviewLabels, PreviewState } from "../src/extension/preview/protocol";

const LABELS: PreviewLabels = {
  hostTitle: "Host firewall",
  cloudTitle: "Cloud security group",
  ipv4: "IPv4",
  ipv6: "IPv6",
  aliyun: "Alibaba Cloud",
  aws: "AWS",
  copy: "Copy",
  save: "Save as...",
  copied: "Copied",
  lock: "Lock",
  unlock: "Unlock",
  lockedHint: "Locked to this policy",
  errorsTitle: "Fix these errors first",
  errorsHint: "Nothing is generated while the policy has errors.",
  notConfigured: "Not in targets: shown for reference",
  failed: "Generation failed",
  empty: "No rules",
  lineTitle: "Go to the rule",
};

/** The state the extension sends for `text` (see PolicyPreview.computeState). */
export function previewState(text: string, version: number): PreviewState {
  return previewStateOf(checkPolicy(text), text, {
    resource: "file:///bench/bench.mailpolicy.yaml",
    title: "bench.mailpolicy.yaml",
    version,
    lang: "en",
    locked: false,
    labels: LABELS,
    host: "iptables",
    cloud: "aliyun",
    cursorOffset: undefined,
  });
}
