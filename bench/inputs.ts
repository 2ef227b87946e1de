/**
 * Writes the benchmark inputs for one policy size into a work folder: the
 * mailpolicy file, the ferm file and Capirca's policy and definitions.
 * `node --import tsx bench/inputs.ts 1000 DIR` writes them by hand for a look.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
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

/** Where the inputs for `ruleCount` rules live: `root/rules-N/`. */
function inputPaths(root: string, ruleCount: number): Omit<BenchInputs, "mailpolicyText"> {
  const dir = join(root, `rules-${ruleCount}`);
  const capircaPolicies = join(dir, "capirca", "policies");
  return {
    ruleCount,
    dir,
    mailpolicy: join(dir, `bench-${ruleCount}.mailpolicy.yaml`),
    ferm: join(dir, `bench-${ruleCount}.ferm`),
    capircaPolicies,
    capircaPolicyFile: join(capircaPolicies, "bench.pol"),
    capircaDefinitions: join(dir, "capirca", "def"),
  };
}

/** Generates and writes the inputs for `ruleCount` rules under `root/rules-N/`. */
export function writeBenchInputs(root: string, ruleCount: number): BenchInputs {
  const paths = inputPaths(root, ruleCount);
  mkdirSync(paths.capircaPolicies, { recursive: true });
  mkdirSync(paths.capircaDefinitions, { recursive: true });

  const policy = generateBenchPolicy(ruleCount);
  const mailpolicyText = renderMailpolicy(policy);
  writeFileSync(paths.mailpolicy, mailpolicyText);
  writeFileSync(paths.ferm, renderFerm(policy));
  const capirca = renderCapirca(policy);
  writeFileSync(paths.capircaPolicyFile, capirca.policy);
  writeFileSync(join(paths.capircaDefinitions, "NETWORK.net"), capirca.networks);
  writeFileSync(join(paths.capircaDefinitions, "SERVICES.svc"), capirca.services);
  return { ...paths, mailpolicyText };
}

/** The inputs {@link writeBenchInputs} wrote before (the bench's section processes read the main one's). */
export function readBenchInputs(root: string, ruleCount: number): BenchInputs {
  const paths = inputPaths(root, ruleCount);
  return { ...paths, mailpolicyText: readFileSync(paths.mailpolicy, "utf8") };
}

if (process.argv[1]?.endsWith("inputs.ts")) {
  const count = Number(process.argv[2] ?? 1000);
  const inputs = writeBenchInputs(process.argv[3] ?? ".cache/bench/inputs", count);
  console.log(inputs.dir);
}
