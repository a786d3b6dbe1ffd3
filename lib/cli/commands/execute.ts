/**
 * `execute`: builds the prover input of one L2 block from a node (or reads a saved one) and runs
 * it through the zkVM host (lib/execute); exit 0 only when the host verified the block.
 */
import { blockRef, boolean, oneOf, text } from "../../config/parsers.ts";
import { devMode, hostBinary, l2Quirks, l2Rpc, rpcTuning } from "../../config/options.ts";
import { flag, optional, withDefault } from "../../config/spec.ts";
import { executeBlock } from "../../execute/execute_block.ts";
import type { ExecuteFailure } from "../../execute/failure.ts";
import { executeSummary } from "../../execute/summary.ts";
import { defineCommand, EXIT } from "../command.ts";

const options = {
  ...l2Rpc,
  block: withDefault(blockRef, "latest", {
    flag: "--block <n|latest>",
    env: "EXECUTE_BLOCK",
    description: "block to execute",
  }),
  backend: withDefault(oneOf(["exec", "risc0"] as const), "exec", {
    flag: "--backend <exec|risc0>",
    env: "ZKVM_BACKEND",
    description: "exec: run the executor natively; risc0: run the guest in the zkVM",
  }),
  ...devMode,
  ...hostBinary,
  ...rpcTuning,
  input: optional(text, {
    flag: "--input <file>",
    description: "execute a saved prover input instead of building one (no RPC needed)",
  }),
  saveInput: optional(text, {
    flag: "--save-input <file>",
    description: "write the prover input built from the node to this file",
  }),
  fork: optional(text, {
    flag: "--fork <name>",
    env: "L2_FORK",
    description: "fork the block runs under (cancun, prague, osaka, bpo1…); default: detected",
  }),
  ...l2Quirks,
  witnessFromProofs: flag({
    flag: "--witness-from-proofs",
    description:
      "build the witness from traces and eth_getProof even where debug_executionWitness exists",
    parser: boolean,
  }),
  checkWitness: flag({
    flag: "--check-witness",
    description:
      "also recompute the post-state root from the witness in TypeScript (the node's way and the spec's), to tell a witness problem from an executor one",
    parser: boolean,
  }),
  json: flag({
    flag: "--json",
    description: "print one JSON object (block, roots, stats) instead of a summary",
    parser: boolean,
  }),
};

/** The execute subcommand. */
export const execute = defineCommand({
  name: "execute",
  summary: "build one block's prover input from a node and execute it statelessly in the zkVM host",
  details: "Exit codes: 0 the host verified the block; 2 bad input or configuration; 3 the block " +
    "is invalid (the host's error code is printed); 4 the backend is unavailable; 1 other failures.",
  options,
  async run(cfg, { log, signal }) {
    const outcome = await executeBlock({
      source: cfg.input ? { kind: "file", path: cfg.input, fork: cfg.fork } : {
        kind: "node",
        rpcUrl: cfg.l2Rpc,
        rpcConcurrency: cfg.rpcConcurrency,
        block: cfg.block,
        fork: cfg.fork,
        quirks: cfg.quirks,
        witnessFromProofs: cfg.witnessFromProofs,
        checkWitness: cfg.checkWitness,
        saveInput: cfg.saveInput,
      },
      backend: cfg.backend,
      devMode: cfg.devMode,
      hostBin: cfg.hostBin,
      log,
      signal,
    });
    if ("failure" in outcome) return fail(cfg.json, outcome.failure, outcome.facts);
    if (cfg.json) console.log(JSON.stringify(outcome.report));
    else console.log(executeSummary(outcome.report, outcome.result));
    return EXIT.ok;
  },
});

function fail(json: boolean, f: ExecuteFailure, facts: Readonly<Record<string, unknown>>): number {
  if (json) {
    console.log(
      JSON.stringify({
        ok: false,
        ...facts,
        error: { kind: f.kind, code: f.code, message: f.message },
        exitCode: f.exitCode,
      }),
    );
  } else {
    console.error(`error: ${f.message}`);
  }
  return f.exitCode;
}
