/** Builds jobs from a real L2 node: the prover input (lib/witness) plus the block's facts. */
import { encodeProverInput, rulesDigest } from "../input/mod.ts";
import type { RpcClient } from "../rpc/mod.ts";
import { buildProverInput } from "../witness/mod.ts";
import { fetchBlockFacts } from "./facts.ts";
import type { FactsFetcher, JobBuilder } from "./jobs.ts";

/** A JobBuilder that builds block inputs from `rpc` (the L2 node). */
export function l2JobBuilder(rpc: RpcClient): JobBuilder {
  return async (block) => {
    const started = performance.now();
    const [{ input }, facts] = await Promise.all([
      buildProverInput(rpc, BigInt(block)),
      fetchBlockFacts(rpc, block),
    ]);
    if (input.chainId !== facts.chainId) {
      throw new Error(
        `input of block ${block} has chain id ${input.chainId} but the node reports ${facts.chainId}`,
      );
    }
    return {
      block,
      facts: { ...facts, rulesDigest: rulesDigest(input.fork, input.quirks) },
      inputJson: encodeProverInput(input),
      buildMs: performance.now() - started,
    };
  };
}

/**
 * Reads a block's facts from `rpc` (for late submissions whose input is no longer held); the
 * rules digest needs the input's fork and quirks, so the input is built again (rare).
 */
export function l2FactsFetcher(rpc: RpcClient): FactsFetcher {
  const build = l2JobBuilder(rpc);
  return async (block) => (await build(block, new AbortController().signal)).facts;
}
