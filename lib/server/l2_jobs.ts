/**
 * Builds batch jobs from a real L2 node: one prover input per block (lib/witness), merged into
 * the batch's input (lib/input), plus the batch's facts.
 */
import { encodeProverInput, mergeBlockInputs, rulesDigest } from "../input/mod.ts";
import type { RpcClient } from "../rpc/mod.ts";
import { buildProverInput } from "../witness/mod.ts";
import type { QuirksChoice } from "../witness/quirks.ts";
import type { Batch } from "../batch/mod.ts";
import type { RpcHeader } from "../rpc/eth.ts";
import type { Hex } from "../protocol/proof.ts";
import { fetchBatchFacts, toHex } from "./facts.ts";
import type { BlockHashFn, FactsFetcher, JobBuilder } from "./jobs.ts";

/** A JobBuilder that builds batch inputs from `rpc` (the L2 node), its quirks as `quirks` says. */
export function l2JobBuilder(rpc: RpcClient, quirks: QuirksChoice = "auto"): JobBuilder {
  return async (batch: Batch) => {
    const started = performance.now();
    const numbers: bigint[] = [];
    for (let b = batch.firstBlock; b <= batch.lastBlock; b++) numbers.push(BigInt(b));
    const [parts, facts] = await Promise.all([
      Promise.all(numbers.map((n) => buildProverInput(rpc, n, { quirks }).then((r) => r.input))),
      fetchBatchFacts(rpc, batch),
    ]);
    const input = mergeBlockInputs(parts);
    if (input.chainId !== facts.chainId) {
      throw new Error(
        `input of batch ${batch.number} has chain id ${input.chainId} but the node reports ${facts.chainId}`,
      );
    }
    return {
      batch,
      facts: { ...facts, rulesDigest: rulesDigest(input.fork, input.quirks) },
      inputJson: encodeProverInput(input),
      buildMs: performance.now() - started,
    };
  };
}

/**
 * Reads a batch's facts (for late submissions whose input is no longer held); the rules digest
 * needs the input's fork and quirks, so the input is built again (rare).
 */
export function l2FactsFetcher(rpc: RpcClient, quirks: QuirksChoice = "auto"): FactsFetcher {
  const build = l2JobBuilder(rpc, quirks);
  return async (batch) => (await build(batch, new AbortController().signal)).facts;
}

/** The L2 node's canonical hash of a block (null past its head): what reorg checks compare. */
export function l2BlockHash(rpc: RpcClient): BlockHashFn {
  return async (n) => {
    const h = await rpc.request<RpcHeader | null>("eth_getBlockByNumber", [toHex(n), false]);
    return h ? (h.hash.toLowerCase() as Hex) : null;
  };
}
