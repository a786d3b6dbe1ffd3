/** `perf-gpu`: proves fixture blocks with CUDA and reports proving time and cycles/s. */
import { hostBinary } from "../../config/options.ts";
import { defineCommand } from "../command.ts";
import { notBuilt } from "../not_built.ts";

/** The perf-gpu subcommand. */
export const perfGpu = defineCommand({
  name: "perf-gpu",
  summary: "prove fixture blocks on the GPU (RISC0_DEV_MODE=0): proving time, cycles/s, size",
  options: { ...hostBinary },
  run: () => Promise.resolve(notBuilt("perf-gpu", "RISC Zero in the loop issue")),
});
