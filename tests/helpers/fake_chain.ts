/** A fake L2 for in-process server/client tests: deterministic block facts and tiny inputs. */
import type { ProveFn } from "../../lib/client/client.ts";
import type { Hex, ProofPayload } from "../../lib/protocol/proof.ts";
import type { BatchFacts } from "../../lib/server/facts.ts";
import type { PreparedJob } from "../../lib/server/jobs.ts";
import { mockSeal } from "../../lib/host/seal.ts";
import { ZERO_IMAGE_ID } from "../../lib/host/image_id.ts";
import { journalOf } from "../../lib/protocol/facts.ts";
import type { ProverServerOptions } from "../../lib/server/server.ts";
import { FixedBatchSource, singleBlockBatches } from "../../lib/server/source.ts";
import { noReceiptVerifier } from "../../lib/server/submissions.ts";
import { memoryLogger } from "./quiet_log.ts";

/** A 32-byte hash derived from a label and a number. */
export function fakeHash(label: string, n: number): Hex {
  const hex = Array.from(new TextEncoder().encode(`${label}:${n}`))
    .map((b) => b.toString(16).padStart(2, "0")).join("");
  return `0x${hex.padEnd(64, "0").slice(0, 64)}`;
}

/** The facts of fake block `n` (hash chain consistent with its parent). */
export function fakeFacts(n: number, chainId = 31337): BatchFacts {
  return {
    chainId,
    firstBlock: n,
    lastBlock: n,
    lastBlockHash: fakeHash("block", n),
    parentHash: fakeHash("block", n - 1),
    preStateRoot: fakeHash("state", n - 1),
    postStateRoot: fakeHash("state", n),
    rulesDigest: fakeHash("rules", 0),
  };
}

/** A job for fake block `n` whose input carries its facts (so the fake prover can "prove" it). */
export function fakeJob(n: number, padBytes = 0): PreparedJob {
  const facts = fakeFacts(n);
  const input = { version: 1, chainId: facts.chainId, fake: facts, pad: "x".repeat(padBytes) };
  return {
    batch: { number: n, firstBlock: n, lastBlock: n },
    facts,
    inputJson: JSON.stringify(input),
    buildMs: 0.1,
  };
}

/** An exec proof of `facts` (valid for a server that accepts exec proofs), "proved" in `provingMs`. */
export function fakeProof(facts: BatchFacts, provingMs = 1): ProofPayload {
  return {
    backend: "exec",
    mode: "exec",
    imageId: ZERO_IMAGE_ID,
    journal: journalOf(facts),
    seal: mockSeal(ZERO_IMAGE_ID, journalOf(facts)),
    receipt: null,
    cycles: null,
    segments: 0,
    provingMs,
  };
}

/** A prover that reads the facts out of a fake input, optionally waiting `delayMs` (abortable). */
export function fakeProver(delayMs = 0, onStart?: (block: number) => void): ProveFn {
  return async (job, { signal }) => {
    onStart?.(job.batchNumber);
    if (delayMs > 0) {
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(resolve, delayMs);
        signal.addEventListener("abort", () => {
          clearTimeout(t);
          reject(new Error("aborted"));
        }, { once: true });
      });
    }
    return fakeProof((job.input as { fake: BatchFacts }).fake);
  };
}

/**
 * The options of a test prover server over the fake chain (batches `first`..`last`, one block
 * each; fake jobs and facts; exec proofs accepted; a long lease), with `overrides` on top: one
 * place for the set-up the server tests share.
 */
export function testServerOptions(
  dataDir: string,
  overrides: Partial<ProverServerOptions> & { first?: number; last?: number } = {},
): ProverServerOptions {
  const { first = 1, last = 1, ...rest } = overrides;
  return {
    hostname: "127.0.0.1",
    port: 0,
    dataDir,
    source: new FixedBatchSource(singleBlockBatches(first, last)),
    build: (b) => Promise.resolve(fakeJob(b.number)),
    fetchFacts: (b) => Promise.resolve(fakeFacts(b.number)),
    verifyReceipt: noReceiptVerifier,
    acceptExecProofs: true,
    leaseMs: 600_000,
    prefetch: 2,
    pollMs: 10,
    maxMessageBytes: 1024 * 1024,
    readTimeoutMs: 2_000,
    log: memoryLogger().log,
    ...rest,
  };
}
