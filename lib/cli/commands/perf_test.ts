/** `perf-test`: executes fixture blocks in the zkVM (dev mode) and reports cycles and time. */
import { hostBinary } from "../../config/options.ts";
import { oneOf } from "../../config/parsers.ts";
import { boolean } from "../../config/parsers.ts";
import { flag, withDefault } from "../../config/spec.ts";
import { runPerfCommand, showHistory } from "../../perf/command.ts";
import type { PerfPlan } from "../../perf/harness.ts";
import { perfOptions, perfRequestFields } from "../../perf/options.ts";
import { defineCommand } from "../command.ts";

/** The perf-test subcommand. */
export const perfTest = defineCommand({
  name: "perf-test",
  summary: "execute fixture blocks in the zkVM without proving: correctness, cycles, time",
  details: "Runs with RISC0_DEV_MODE=1 (no proof). With --backend auto, uses the risc0 backend " +
    "when zkvm-host was built with it and the guest exists, and otherwise says why and runs the " +
    "same executor natively (exec backend: times, no cycles). Writes the report as JSON, Markdown " +
    "and an SVG chart, and appends the run to the history file. Exit 0 only if every block " +
    "verified (3 otherwise; 1 with --fail-on-regression when --compare finds a regression).",
  options: {
    ...perfOptions,
    ...hostBinary,
    backend: withDefault(oneOf(["auto", "risc0", "exec"] as const), "auto", {
      flag: "--backend <name>",
      env: "PERF_BACKEND",
      description: "auto (risc0, else exec), risc0 or exec",
    }),
    history: flag({
      flag: "--history",
      description:
        "print the runs in the history file and plot their trend (SVG) instead of running",
      parser: boolean,
    }),
  },
  run: (cfg, { log, signal }) => {
    if (cfg.history) {
      return showHistory(cfg.historyFile, cfg.historyFile.replace(/\.jsonl?$/, "") + ".svg", log);
    }
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
        ...perfRequestFields(cfg),
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
