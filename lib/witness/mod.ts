/** The witness builder: the prover input of any block from any EVM node. */
export { buildProverInput } from "./builder.ts";
export { WitnessBuildError } from "./errors.ts";
export type { BuildOptions } from "./builder.ts";
export type { PhaseStats, WitnessStats } from "./stats.ts";
export { BlockNotFoundError } from "./chain.ts";
export { detectFork, FORK_ORDER, forkAtLeast, normalizeForkName } from "./fork.ts";
export type { ForkChoice, ForkSource } from "./fork.ts";
