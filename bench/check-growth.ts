/**
 * One size of the growth figures, in a process of its own:
 * `node --import tsx bench/check-growth.ts FILE RUNS BUDGET_MS` prints the CPU
 * time (ms) of each of up to RUNS first checks of the policy in FILE, as JSON.
 *
 * Every size gets the same history: the JIT warmed on the same 1,000-rule
 * policy, then a few untimed checks of the file itself so that the heap has
 * grown to its size. In one shared process a size would inherit the heap and
 * the collector's schedule of the sizes before it. A major collection falls in
 * some checks and not others (about one 10,000-rule check in five, most
 * 50,000-rule ones), so the caller averages the checks: each carries its share.
 * Every sample is printed, not timeInProcess's summary, because the caller
 * averages over two such processes.
 */
import { readFileSync } from "node:fs";
import { checkFromNothing } from "./checking";
import { generateBenchPolicy, renderMailpolicy } from "./policy-generator";

const [file, runsArg, budgetArg] = process.argv.slice(2);
const text = readFileSync(file, "utf8");
const runs = Number(runsArg);
const budgetMs = Number(budgetArg);
const begin = performance.now();
const spent = () => performance.now() - begin;

const jitWarmup = renderMailpolicy(generateBenchPolicy(1000));
for (let i = 0; i < 20; i++) checkFromNothing(jitWarmup);
for (let i = 0; i < 3 && (i === 0 || spent() < budgetMs / 4); i++) checkFromNothing(text);

const cpu: number[] = [];
for (let k = 0; k < runs && (cpu.length < 3 || spent() < budgetMs); k++) {
  const start = process.cpuUsage();
  checkFromNothing(text);
  const used = process.cpuUsage(start);
  cpu.push((used.user + used.system) / 1000);
}
process.stdout.write(`${JSON.stringify(cpu)}\n`);
