/** `perf-gpu`: proves fixture blocks (RISC0_DEV_MODE=0) and reports proving time and cycles/s. */
import { hostBinary, proving } from "../../config/options.ts";
import { provingEnv } from "../../host/mod.ts";
import { oneOf } from "../../config/parsers.ts";
import { withDefault } from "../../config/spec.ts";
import { runPerfCommand } from "../../perf/command.ts";
import { perfOptions } from "../../perf/options.ts";
import { defineCommand } from "../command.ts";

/** The perf-gpu subcommand. */
export const perfGpu = defineCommand({
  name: "perf-gpu",
  summary: "prove fixture blocks on the GPU (RISC0_DEV_MODE=0): proving time, cycles/s, size",
  details: "Needs zkvm-host built with the risc0 and cuda features (make host-gpu) and the guest " +
    "(make guest). Built without cuda, the host proves on the CPU: the report says which.",
  options: {
    ...perfOptions,
    ...hostBinary,
    ...proving,
    receipt: withDefault(oneOf(["composite", "succinct", "groth16"] as const), "succinct", {
      flag: "--receipt <kind>",
      env: "PROVER_RECEIPT_KIND",
      description: "receipt to produce: composite, succinct, or groth16 (what L1 verifies)",
    }),
  },
  run: (cfg, { log, signal }) =>
    runPerfCommand(
      {
        kind: "perf-gpu",
        fixturesDir: cfg.fixtures,
        only: cfg.only,
        report: cfg.report,
        plans: [{
          backend: "risc0",
          devMode: false,
          receipt: cfg.receipt,
          hostBin: cfg.hostBin,
          env: provingEnv(cfg),
          repeat: cfg.repeat,
        }],
      },
      log,
      signal,
    ),
});
