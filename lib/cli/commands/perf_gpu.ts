/** `perf-gpu`: proves fixture blocks (RISC0_DEV_MODE=0) and reports proving time and cycles/s. */
import { hostBinary, proving } from "../../config/options.ts";
import { provingEnv } from "../../host/mod.ts";
import { oneOf } from "../../config/parsers.ts";
import { withDefault } from "../../config/spec.ts";
import { runPerfCommand } from "../../perf/command.ts";
import { perfOptions, perfRequestFields } from "../../perf/options.ts";
import { cudaPreflight } from "../../perf/gpu.ts";
import { resolveHostBin } from "../../host/bin.ts";
import { defineCommand, EXIT } from "../command.ts";

/** The perf-gpu subcommand. */
export const perfGpu = defineCommand({
  name: "perf-gpu",
  summary: "prove fixture blocks on the GPU (RISC0_DEV_MODE=0): proving time, cycles/s, size",
  details: "Needs zkvm-host built with the risc0 and cuda features (make host-gpu) and the guest " +
    "(make guest), and a CUDA device; without any of them it stops at once and says which is " +
    "missing. Reports proving time, cycles/s, receipt kind and seal size, peak GPU memory, the " +
    "GPU's idle share and verify time per block.",
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
  run: async (cfg, { log, signal }) => {
    const hostBin = cfg.hostBin ?? resolveHostBin().path;
    const missing = await cudaPreflight(hostBin);
    if (missing) {
      log.error(`perf-gpu cannot run here: ${missing}`);
      return EXIT.unavailable;
    }
    return runPerfCommand(
      {
        kind: "perf-gpu",
        ...perfRequestFields(cfg),
        plans: [{
          backend: "risc0",
          devMode: false,
          receipt: cfg.receipt,
          hostBin: cfg.hostBin,
          env: provingEnv(cfg),
          repeat: cfg.repeat,
          gpu: true,
        }],
      },
      log,
      signal,
    );
  },
});
