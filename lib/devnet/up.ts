/**
 * The whole system in one process (`up`, behind `make run`): an anvil L1 and an anvil L2, the
 * settlement contracts deployed on L1 for the L2, the dev committer, a transaction generator on
 * the L2, the prover server proving the batches committed on L1, the proof sender verifying them,
 * and K prover clients. Stops when aborted or once `targetBlocks` L2 blocks are verified on L1;
 * everything it started is stopped before it returns.
 */
import { join } from "node:path";
import { type Hex, parseAbiItem } from "viem";
import { runProverClient } from "../client/client.ts";
import { hostProver } from "../client/host_prover.ts";
import { startCommitter } from "../committer/committer.ts";
import { L1Client } from "../l1/client.ts";
import { deploySettlement } from "../l1/deployment.ts";
import { Proposer } from "../l1/proposer.ts";
import type { Logger } from "../log/logger.ts";
import { RpcClient } from "../rpc/mod.ts";
import { hostReceiptVerifier } from "../server/receipt_verifier.ts";
import { l2FactsFetcher, l2JobBuilder } from "../server/l2_jobs.ts";
import { startProverServer } from "../server/server.ts";
import { openSettlement, storedBatchProofs } from "../settlement/mod.ts";
import { portIfFree, startAnvil } from "./anvil.ts";
import { startTxGen } from "./txgen.ts";

/** anvil's well-known dev keys (its default mnemonic): local chains only, funded nowhere real. */
export const DEV_KEYS = {
  owner: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  committer: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  verifier: "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
} as const satisfies Record<string, Hex>;

const BATCHES_VERIFIED = parseAbiItem(
  "event BatchesVerified(uint256 firstBatch, uint256 lastBatch)",
);

/** Settings of {@link runUp}. */
export interface UpOptions {
  /** Preferred loopback ports (taken: a free one; 0: always a free one). */
  readonly l1Port: number;
  readonly l2Port: number;
  readonly l2ChainId: number;
  readonly dataDir: string;
  readonly blockTimeS: number;
  readonly txsPerTick: number;
  readonly batchSize: number;
  readonly provers: number;
  readonly backend: "exec" | "risc0";
  readonly hostBin?: string;
  /** Stop once L1's lastVerifiedBatch covers this many L2 blocks; default: run until aborted. */
  readonly targetBlocks?: number;
  readonly log: Logger;
}

/** What L1 says at the end of a run. */
export interface UpSummary {
  readonly lastVerifiedBatch: number;
  /** The last L2 block of lastVerifiedBatch (batches(n).lastBlock on L1). */
  readonly lastVerifiedBlock: number;
  /** The L2 block batch 0 ends at. */
  readonly genesisBlock: number;
  readonly lastCommittedBatch: number;
  readonly onChainProposer: Hex;
  readonly txsSent: number;
}

/** Runs the local system until `signal` aborts or the target is verified (see the module comment). */
export async function runUp(opts: UpOptions, signal: AbortSignal): Promise<UpSummary> {
  const { log } = opts;
  const block = ["--block-time", String(opts.blockTimeS)];
  await using l1 = await startAnvil({ port: portIfFree(opts.l1Port), args: block });
  log.info(`L1 anvil at ${l1.url} (pid ${l1.pid}${portNote(opts.l1Port, l1.port)})`);
  await using l2 = await startAnvil({
    port: portIfFree(opts.l2Port),
    chainId: opts.l2ChainId,
    args: block,
  });
  log.info(`L2 anvil at ${l2.url} (pid ${l2.pid}${portNote(opts.l2Port, l2.port)})`);
  const l2rpc = new RpcClient(l2.url);

  // anvil's block 0 does not commit to its state, so batch 0 ends at block 1 or later.
  while (Number(BigInt(await l2rpc.request<Hex>("eth_blockNumber", []))) < 1) {
    await sleep(200, signal);
    if (signal.aborted) throw new Error("stopped before the L2 made its first block");
  }
  const l1Log = log.child("l1");
  const [owner, committerL1] = await Promise.all([
    L1Client.connect({ url: l1.url, privateKey: DEV_KEYS.owner, pollMs: 200, log: l1Log }),
    L1Client.connect({ url: l1.url, privateKey: DEV_KEYS.committer, pollMs: 200, log: l1Log }),
  ]);
  const verifierAddress = (await L1Client.connect({
    url: l1.url,
    privateKey: DEV_KEYS.verifier,
    log: l1Log,
  })).address!;
  const d = await deploySettlement({
    l1: owner,
    l2: l2rpc,
    committer: committerL1.address!,
    verifierAccount: verifierAddress,
    sealKind: "mock",
    genesisBlock: "latest",
    log: log.child("deploy"),
  });
  const view = new Proposer(owner, d.onChainProposer);

  await using _committer = startCommitter({
    l1: committerL1,
    proposer: d.onChainProposer,
    l2: l2rpc,
    batchSize: opts.batchSize,
    maxWaitMs: opts.batchSize * opts.blockTimeS * 2000,
    pollMs: 500,
    log: log.child("committer"),
  });
  await using txgen = await startTxGen(l2rpc, {
    txsPerTick: opts.txsPerTick,
    tickMs: opts.blockTimeS * 1000,
    log: log.child("txgen"),
  });
  const serverDir = join(opts.dataDir, "server");
  const settlement = await openSettlement({
    l1Rpc: l1.url,
    onChainProposer: d.onChainProposer,
    verifierPrivateKey: DEV_KEYS.verifier,
    committerAddress: committerL1.address!,
    sealKind: "mock",
    maxBatchesPerTx: 16,
    confirmations: 1,
    feeBumpAfterMs: 60_000,
    pollMs: 500,
    dataDir: serverDir,
    log: log.child("settlement"),
  });
  await using server = await startProverServer({
    hostname: "127.0.0.1",
    port: 0,
    dataDir: serverDir,
    source: settlement.source,
    build: l2JobBuilder(l2rpc),
    fetchFacts: l2FactsFetcher(l2rpc),
    verifyReceipt: hostReceiptVerifier({
      hostBin: opts.hostBin,
      devMode: true,
      log: log.child("verifier"),
    }),
    acceptExecProofs: true,
    leaseMs: 10 * 60_000,
    prefetch: 4,
    pollMs: 500,
    maxMessageBytes: 256 * 1024 ** 2,
    readTimeoutMs: 60_000,
    log: log.child("prover-server"),
  });
  log.info(`prover-server on 127.0.0.1:${server.port}, proving ${settlement.source.description}`);

  // Everything below stops on `stop`: the caller's signal, or the target reached.
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal.addEventListener("abort", onAbort, { once: true });
  if (signal.aborted) stop.abort(); // Ctrl-C during startup
  try {
    const sending = settlement.run(
      storedBatchProofs(server.store, log.child("settlement")),
      stop.signal,
    );
    const clients = Array.from({ length: opts.provers }, (_, i) =>
      runProverClient({
        server: { host: "127.0.0.1", port: server.port },
        intervalMs: 500,
        dataDir: join(opts.dataDir, `client-${i + 1}`),
        prove: hostProver({ backend: opts.backend, devMode: true, hostBin: opts.hostBin }),
        log: log.child(`prover-${i + 1}`),
        tty: false,
      }, stop.signal));
    log.info(`${opts.provers} prover client(s) on the ${opts.backend} backend`);
    const genesis = d.l2.genesis.block;
    const reportVerified = async (fromL1Block: bigint): Promise<bigint> => {
      const head = await owner.pub.getBlockNumber();
      const events = head < fromL1Block ? [] : await owner.pub.getLogs({
        address: d.onChainProposer,
        event: BATCHES_VERIFIED,
        fromBlock: fromL1Block,
        toBlock: head,
      });
      for (const e of events) {
        const last = Number(e.args.lastBatch);
        const b = await view.batch(last);
        log.info(
          `L1 verified batches ${e.args.firstBatch}..${last} (L2 blocks to ${b.lastBlock}) ` +
            `in tx ${e.transactionHash}`,
        );
        if (opts.targetBlocks !== undefined && b.lastBlock - genesis >= opts.targetBlocks) {
          log.info(`${b.lastBlock - genesis} L2 blocks verified on L1: stopping`);
          stop.abort();
        }
      }
      return head + 1n;
    };
    let fromL1Block = 0n;
    while (!stop.signal.aborted) {
      // BatchesVerified events, read from L1, name each verification's transaction.
      try {
        fromL1Block = await reportVerified(fromL1Block);
      } catch (e) {
        if (!stop.signal.aborted) {
          log.warn(`cannot read verifications from L1: ${(e as Error).message}`);
        }
      }
      await sleep(500, stop.signal);
    }
    await Promise.all([sending, ...clients]);
  } finally {
    signal.removeEventListener("abort", onAbort);
    stop.abort();
  }
  const lastVerifiedBatch = await view.lastVerifiedBatch();
  return {
    lastVerifiedBatch,
    lastVerifiedBlock: (await view.batch(lastVerifiedBatch)).lastBlock,
    genesisBlock: d.l2.genesis.block,
    lastCommittedBatch: await view.lastCommittedBatch(),
    onChainProposer: d.onChainProposer,
    txsSent: txgen.sent(),
  };
}

function portNote(wanted: number, got: number): string {
  return wanted === 0 || wanted === got ? "" : `; port ${wanted} was taken`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
