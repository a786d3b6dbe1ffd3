/** `perf-test`: executes fixture blocks in the zkVM (dev mode) and reports cycles and time. */
import { hostBinary } from "../../config/options.ts";
import { oneOf } from "../../config/parsers.ts";
import { withDefault } from "../../config/spec.ts";
import { runPerfCommand } from "../../perf/command.ts";
import type { PerfPlan } from "../../perf/harness.ts";
import { perfOptions } from "../../perf/options.ts";
import { defineCommand } from "../command.ts";

/** The perf-test subcommand. */
export const perfTest = defineCommand({
  name: "perf-test",
  summary: "execute fixture blocks in the zkVM without proving: correctness, cycles, time",
  details: "Runs with RISC0_DEV_MODE=1 (no proof). With --backend auto, uses the risc0 backend " +
    "when zkvm-host was built with it and the guest exists, and otherwise says why and runs the " +
    "same executor natively (exec backend: times, no cycles). Exit 0 only if every block verified.",
  options: {
    ...perfOptions,
    ...hostBinary,
    backend: withDefault(oneOf(["auto", "risc0", "exec"] as const), "auto", {
      flag: "--backend <name>",
      env: "PERF_BACKEND",
      description: "auto (risc0, else exec), risc0 or exec",
    }),
  },
  run: (cfg, { log, signal }) => {
    const risc0: PerfPlan = {
      backend: "risc0",
      devMode: true,
      hostBin: cfg.hostBin,
      repeat: cfg.repeat,
    };
    const exec: PerfPlan = {
      backend: "exec",
      devMode: true,
      hostBin: cfg.hostBin,
      repeat: cfg.repeat,
    };
    const plans = cfg.backend === "auto"
      ? [risc0, exec]
      : cfg.backend === "risc0"
      ? [risc0]
      : [exec];
    return runPerfCommand(
      {
        kind: "perf-test",
        fixturesDir: cfg.fixtures,
        only: cfg.only,
        report: cfg.report,
        plans,
        fallbackNote: cfg.backend === "auto"
          ? "falling back to the exec backend: the same executor, run natively (no cycle counts)"
          : undefined,
      },
      log,
      signal,
    );
  },
});
