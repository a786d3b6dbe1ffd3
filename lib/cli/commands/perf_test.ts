/** `perf-test`: executes fixture blocks in the zkVM (dev mode) and reports cycles and time. */
import { hostBinary } from "../../config/options.ts";
import { defineCommand } from "../command.ts";
import { notBuilt } from "../not_built.ts";

/** The perf-test subcommand. */
export const perfTest = defineCommand({
  name: "perf-test",
  summary: "execute fixture blocks in the zkVM without proving: correctness, cycles, time",
  options: { ...hostBinary },
  run: () => Promise.resolve(notBuilt("perf-test", "RISC Zero in the loop issue")),
});
