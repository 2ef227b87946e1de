/**
 * Writes the benchmark inputs for one policy size into a work folder: the
 * mailpolicy file, the ferm file and Capirca's policy and definitions.
 * `node --import tsx bench/inputs.ts 1000 DIR` writes them by hand for a look.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { generateBenchPolicy, renderMailpolicy } from "./policy-generator";
import { renderCapirca, renderFerm } from "./render-baselines";

export interface BenchInputs {
  readonly ruleCount: number;
  readonly dir: string;
  /** The policy file; its name ends in `.mailpolicy.yaml`. */
  readonly mailpolicy: string;
  /** The policy text, for in-process measurements. */
  readonly mailpolicyText: string;
  readonly ferm: string;
  /** Capirca's base directory holding `bench.pol`. */
  readonly capircaPolicies: string;
  readonly capircaPolicyFile: string;
  readonly capircaDefinitions: string;
}

/** Generates and writes the inputs for `ruleCount` rules under `root/rules-N/`. */
export function writeBenchInputs(root: string, ruleCount: number): BenchInputs {
  const dir = join(root, `rules-${ruleCount}`);
  const capircaPolicies = join(dir, "capirca", "policies");
  const capircaDefinitions = join(dir, "capirca", "def");
  mkdirSync(capircaPolicies, { recursive: true });
  mkdirSync(capircaDefinitions, { recursive: true });

  const policy = generateBenchPolicy(ruleCount);
  const mailpolicyText = renderMailpolicy(policy);
  const mailpolicy = join(dir, `bench-${ruleCount}.mailpolicy.yaml`);
  writeFileSync(mailpolicy, mailpolicyText);
  const ferm = join(dir, `bench-${ruleCount}.ferm`);
  writeFileSync(ferm, renderFerm(policy));
  const capirca = renderCapirca(policy);
  const capircaPolicyFile = join(capircaPolicies, "bench.pol");
  writeFileSync(capircaPolicyFile, capirca.policy);
  writeFileSync(join(capircaDefinitions, "NETWORK.net"), capirca.networks);
  writeFileSync(join(capircaDefinitions, "SERVICES.svc"), capirca.services);
  return {
    ruleCount,
    dir,
    mailpolicy,
    mailpolicyText,
    ferm,
    capircaPolicies,
    capircaPolicyFile,
    capircaDefinitions,
  };
}

if (process.argv[1]?.endsWith("inputs.ts")) {
  const count = Number(process.argv[2] ?? 1000);
  const inputs = writeBenchInputs(process.argv[3] ?? ".cache/bench/inputs", count);
  console.log(inputs.dir);
}
