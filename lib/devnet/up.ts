/**
 * The whole system in one process (`up`, behind `make run`): an anvil L1, an L2 (anvil, or geth
 * --dev as a spec node), the settlement contracts deployed on L1 for the L2, the dev committer, a
 * transaction generator on the L2, the prover server proving the batches committed on L1, the
 * proof sender verifying them, and K prover clients. Stops when aborted or once `targetBlocks`
 * more L2 blocks are verified on L1; everything it started is stopped before it returns.
 *
 * State lives in `dataDir`: both chains (anvil --state, geth --datadir), the deployment's
 * addresses, the proof store and the clients' outboxes. A second run on the same directory
 * continues where the first stopped: same chains, same contract, proofs not yet verified sent.
 */
import { join } from "node:path";
import { type Address, type Hex, parseAbiItem } from "viem";
import type { ProveFn } from "../client/client.ts";
import { defaultHostBin } from "../host/bin.ts";
import { startCommitter } from "../committer/committer.ts";
import { L1Client } from "../l1/client.ts";
import { deploySettlement } from "../l1/deployment.ts";
import { Proposer } from "../l1/proposer.ts";
import type { Logger } from "../log/logger.ts";
import { RpcClient } from "../rpc/mod.ts";
import { openSettlement, storedBatchProofs } from "../settlement/mod.ts";
import { writeFileAtomic } from "../store/atomic.ts";
import { portIfFree, startAnvil } from "./anvil.ts";
import type { BackendChoice } from "./backend.ts";
import { startGeth } from "./geth.ts";
import { runLocalClients, startLocalServer } from "./local.ts";
import { startTxGen } from "./txgen.ts";
import { type BatchMark, newStatus, observeL1, type UpStatus } from "./view.ts";
import { sleep } from "../time/mod.ts";

/** anvil's well-known dev keys (its default mnemonic): local chains only, funded nowhere real. */
export const DEV_KEYS = {
  owner: "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  committer: "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  verifier: "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
} as const satisfies Record<string, Hex>;

const BATCHES_VERIFIED = parseAbiItem(
  "event BatchesVerified(uint256 firstBatch, uint256 lastBatch)",
);

/** The files and folders of an up data directory. */
export const UP_FILES = {
  l1State: "l1-state.json",
  l2State: "l2-state.json",
  gethDir: "l2-geth",
  deployment: "deployment.json",
  server: "server",
  provers: "provers",
  log: "up.log",
} as const;

/** Settings of {@link runUp}. */
export interface UpOptions {
  /** Preferred loopback ports (taken: a free one; 0: always a free one). */
  readonly l1Port: number;
  readonly l2Port: number;
  /** anvil (quirks: anvil) or geth --dev (a spec node, no quirks). */
  readonly l2: "anvil" | "geth";
  /** Chain id of an anvil L2 (geth --dev is 1337). */
  readonly l2ChainId: number;
  /** The state of the system (see the module comment). */
  readonly dataDir: string;
  readonly blockTimeS: number;
  readonly txsPerTick: number;
  readonly batchSize: number;
  readonly provers: number;
  readonly backend: BackendChoice;
  readonly hostBin?: string;
  /** Stop once this many more L2 blocks are verified on L1; default: run until aborted. */
  readonly targetBlocks?: number;
  /** Kept up to date for the live view; default: a private one. */
  readonly status?: UpStatus;
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
  /** Where L1 stood when this run started proving. */
  readonly verifiedAtStart: BatchMark;
  /** True when this run continued an earlier one's chains and contract. */
  readonly continued: boolean;
  readonly txsSent: number;
}

/** What `up` keeps about its deployment, to reuse it on the next run. */
interface SavedDeployment {
  readonly onChainProposer: Address;
  readonly genesisBlock: number;
  readonly l2: "anvil" | "geth";
  readonly l2ChainId: number;
  /** The provers' backend the contract's image id was chosen for. */
  readonly backend?: "exec" | "risc0";
}

/** Runs the local system until `signal` aborts or the target is verified (see the module comment). */
export async function runUp(opts: UpOptions, signal: AbortSignal): Promise<UpSummary> {
  const { log, dataDir: dir } = opts;
  const status = opts.status ?? newStatus({
    l2Kind: opts.l2,
    backend: opts.backend.label,
    backendReason: opts.backend.reason,
    dataDir: dir,
  }, Date.now());
  await Deno.mkdir(dir, { recursive: true });
  const saved = await readSaved(join(dir, UP_FILES.deployment));
  if (saved && saved.l2 !== opts.l2) {
    throw new Error(
      `${dir} holds an ${saved.l2} L2, not ${opts.l2}: run with --l2 ${saved.l2}, ` +
        "another --data-dir, or make clean-data",
    );
  }
  if (saved?.backend && saved.backend !== opts.backend.backend) {
    // the contract accepts the image id of the backend it was deployed for, no other
    throw new Error(
      `${dir} was deployed for the ${saved.backend} backend, not ${opts.backend.backend}: ` +
        `run with --backend ${saved.backend}, another --data-dir, or make clean-data`,
    );
  }
  const block = ["--block-time", String(opts.blockTimeS)];
  // Both anvils dump their state on exit and every 30 s (a crash loses at most that much).
  // The L2 keeps (and dumps) the states of its last blocks, so the blocks not yet verified can
  // still be proved, after a restart too; it is paused while that many wait (see `look`), so
  // the states kept (memory, the dump's size) stay bounded however slow the provers are.
  const dump = (file: string) => ["--state", join(dir, file), "--state-interval", "30"];
  const maxBacklog = Math.max(32, 16 * opts.batchSize);
  status.phase = "starting L1";
  await using l1 = await startAnvil({
    port: portIfFree(opts.l1Port),
    args: [...block, ...dump(UP_FILES.l1State)],
    ownSession: true,
    stopTimeoutMs: 20_000,
  });
  status.l1Url = l1.url;
  log.info(`L1 anvil at ${l1.url} (pid ${l1.pid}${portNote(opts.l1Port, l1.port)})`);
  status.phase = "starting L2";
  await using l2 = opts.l2 === "geth"
    ? await startGeth({
      periodS: opts.blockTimeS,
      datadir: join(dir, UP_FILES.gethDir),
      args: ["--http.port", String(portIfFree(opts.l2Port))],
      ownSession: true,
    })
    : await startAnvil({
      port: portIfFree(opts.l2Port),
      chainId: opts.l2ChainId,
      args: [
        ...block,
        ...dump(UP_FILES.l2State),
        "--preserve-historical-states",
        "--prune-history",
        String(2 * maxBacklog),
      ],
      ownSession: true,
      stopTimeoutMs: 20_000,
    });
  status.l2Url = l2.url;
  log.info(`L2 ${opts.l2} at ${l2.url} (pid ${l2.pid}${portNote(opts.l2Port, l2.port)})`);
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

  status.phase = saved ? "checking the saved deployment" : "deploying";
  let proposerAddress: Address;
  let genesisBlock: number;
  if (saved) {
    await checkSaved(saved, owner, l2rpc, dir);
    proposerAddress = saved.onChainProposer;
    genesisBlock = saved.genesisBlock;
    log.info(`reusing OnChainProposer ${proposerAddress} from ${dir}`);
  } else {
    const d = await deploySettlement({
      l1: owner,
      l2: l2rpc,
      committer: committerL1.address!,
      verifierAccount: verifierAddress,
      sealKind: "mock",
      // risc0 provers claim their host's guest's image id; exec results the checkout's guest's
      hostBin: opts.backend.backend === "risc0" ? opts.hostBin ?? defaultHostBin() : undefined,
      genesisBlock: "latest",
      log: log.child("deploy"),
    });
    proposerAddress = d.onChainProposer;
    genesisBlock = d.l2.genesis.block;
    const record: SavedDeployment = {
      onChainProposer: proposerAddress,
      genesisBlock,
      l2: opts.l2,
      l2ChainId: d.l2.chainId,
      backend: opts.backend.backend,
    };
    await writeFileAtomic(
      join(dir, UP_FILES.deployment),
      new TextEncoder().encode(JSON.stringify(record, null, 2) + "\n"),
    );
  }
  const view = new Proposer(owner, proposerAddress);
  const readMark = async (batch: number): Promise<BatchMark> => ({
    batch,
    lastBlock: (await view.batch(batch)).lastBlock,
  });
  const verifiedAtStart = await readMark(await view.lastVerifiedBatch());
  status.verifiedAtStart = verifiedAtStart;
  if (saved) {
    status.continuedFrom = verifiedAtStart;
    log.info(
      `continuing: L1 has verified batch ${verifiedAtStart.batch} ` +
        `(L2 blocks to ${verifiedAtStart.lastBlock}) from an earlier run`,
    );
  }

  await using _committer = startCommitter({
    l1: committerL1,
    proposer: proposerAddress,
    l2: l2rpc,
    batchSize: opts.batchSize,
    maxWaitMs: opts.batchSize * opts.blockTimeS * 2000,
    pollMs: 500,
    log: log.child("committer"),
  });
  status.phase = "starting the transaction generator";
  await using txgen = await startTxGen(l2rpc, {
    txsPerTick: opts.txsPerTick,
    tickMs: opts.blockTimeS * 1000,
    log: log.child("txgen"),
  });
  const serverDir = join(dir, UP_FILES.server);
  const settlement = await openSettlement({
    l1Rpc: l1.url,
    onChainProposer: proposerAddress,
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
  // The leases of an earlier run were held by its in-process clients, which stopped with it:
  // restored, they would hold those batches (and all verification after them) for the lease time.
  await Deno.remove(join(serverDir, "leases.jsonl")).catch(() => {});
  await using server = await startLocalServer({
    rpc: l2rpc,
    dataDir: serverDir,
    source: settlement.source,
    hostBin: opts.hostBin,
    log,
  });
  log.info(`prover-server on 127.0.0.1:${server.port}, proving ${settlement.source.description}`);

  // Everything below stops on `stop`: the caller's signal, or the target reached.
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal.addEventListener("abort", onAbort, { once: true });
  if (signal.aborted) stop.abort(); // Ctrl-C during startup
  status.phase = "running";
  try {
    const sending = settlement.run(
      // a proof of a block a reorg replaced is never sent to L1
      storedBatchProofs(server.store, log.child("settlement"), (n) => server.isCanonical(n)),
      stop.signal,
    );
    status.clients = Array.from({ length: opts.provers }, (_, i) => ({ id: i + 1, proved: 0 }));
    const clients = runLocalClients({
      count: opts.provers,
      server: { host: "127.0.0.1", port: server.port },
      dataDir: join(dir, UP_FILES.provers),
      backend: opts.backend.backend,
      hostBin: opts.hostBin,
      wrap: (id, prove) => watched(status, id, prove),
      log,
    }, stop.signal);
    log.info(`${opts.provers} prover client(s) on the ${opts.backend.label} backend`);
    let fromL1Block = saved ? (await owner.pub.getBlockNumber()) + 1n : 0n;
    // anvil's L2 stops making blocks (and the generator sending) while `maxBacklog` blocks wait
    // to be verified, and goes on at half that. geth --dev cannot pause: its blocks come anyway.
    let paused = false;
    const throttle = async (backlog: number) => {
      if (opts.l2 !== "anvil") return;
      if (!paused && backlog >= maxBacklog) {
        await l2rpc.request("evm_setIntervalMining", [0]);
        paused = true;
        txgen.pause(true);
        status.l2Paused = `${backlog} blocks wait for proofs`;
        log.info(`L2 paused: ${backlog} blocks not verified yet; the provers catch up first`);
      } else if (paused && backlog <= maxBacklog / 2) {
        await l2rpc.request("evm_setIntervalMining", [opts.blockTimeS]);
        paused = false;
        txgen.pause(false);
        status.l2Paused = undefined;
        log.info(`L2 resumed: ${backlog} blocks not verified yet`);
      }
    };
    // BatchesVerified events, read from L1, name each verification's transaction.
    const logVerifications = async () => {
      const head = await owner.pub.getBlockNumber();
      const events = head < fromL1Block ? [] : await owner.pub.getLogs({
        address: proposerAddress,
        event: BATCHES_VERIFIED,
        fromBlock: fromL1Block,
        toBlock: head,
      });
      for (const e of events) {
        const last = Number(e.args.lastBatch);
        log.info(
          `L1 verified batches ${e.args.firstBatch}..${last} ` +
            `(L2 blocks to ${(await view.batch(last)).lastBlock}) in tx ${e.transactionHash}`,
        );
      }
      fromL1Block = head + 1n;
    };
    const look = async () => {
      await logVerifications();
      const [l2Head, committed, verified] = await Promise.all([
        l2rpc.request<Hex>("eth_blockNumber", []),
        view.lastCommittedBatch().then(readMark),
        view.lastVerifiedBatch().then(readMark),
      ]);
      status.l2Head = Number(BigInt(l2Head));
      await throttle(status.l2Head - verified.lastBlock);
      status.proved = server.store.highest();
      status.txsSent = txgen.sent();
      observeL1(status, committed, verified, Date.now());
      const gained = verified.lastBlock - verifiedAtStart.lastBlock;
      if (opts.targetBlocks !== undefined && gained >= opts.targetBlocks) {
        // the verification read above may be newer than the events logged before it
        await logVerifications();
        log.info(`${gained} more L2 blocks verified on L1: stopping`);
        stop.abort();
      }
    };
    while (!stop.signal.aborted) {
      try {
        await look();
      } catch (e) {
        if (!stop.signal.aborted) {
          log.warn(`cannot read the system's state from L1: ${(e as Error).message}`);
        }
      }
      await sleep(500, stop.signal);
    }
    status.phase = "stopping";
    await Promise.all([sending, clients]);
  } finally {
    signal.removeEventListener("abort", onAbort);
    stop.abort();
  }
  const lastVerifiedBatch = await view.lastVerifiedBatch();
  const summary: UpSummary = {
    lastVerifiedBatch,
    lastVerifiedBlock: (await view.batch(lastVerifiedBatch)).lastBlock,
    genesisBlock,
    lastCommittedBatch: await view.lastCommittedBatch(),
    onChainProposer: proposerAddress,
    verifiedAtStart,
    continued: saved !== undefined,
    txsSent: txgen.sent(),
  };
  status.verified = { batch: lastVerifiedBatch, lastBlock: summary.lastVerifiedBlock };
  status.phase = "stopped";
  return summary;
}

/** The one-line summary `up` prints (its numbers read from L1). */
export function summaryLine(s: UpSummary): string {
  const batches = s.lastVerifiedBatch - s.verifiedAtStart.batch;
  const blocks = s.lastVerifiedBlock - s.verifiedAtStart.lastBlock;
  return `up: L1 OnChainProposer ${s.onChainProposer}: lastVerifiedBatch=${s.lastVerifiedBatch} ` +
    `lastVerifiedBlock=${s.lastVerifiedBlock} (from L2 block ${s.genesisBlock}; ` +
    `lastCommittedBatch=${s.lastCommittedBatch}); ` +
    (s.continued ? `continued from lastVerifiedBatch=${s.verifiedAtStart.batch}` : "fresh chains") +
    `: ${batches} batches (${blocks} blocks) verified in this run, ${s.txsSent} L2 transactions sent`;
}

/** Client `id`'s prove function, reporting its jobs and progress into `status`. */
function watched(status: UpStatus, id: number, prove: ProveFn): ProveFn {
  return async (job, o) => {
    const c = status.clients[id - 1];
    const started = Date.now();
    const j: NonNullable<typeof c.job> = {
      batch: job.batchNumber,
      firstBlock: job.firstBlock,
      lastBlock: job.lastBlock,
      startedAt: started,
    };
    c.job = j;
    try {
      const proof = await prove(job, {
        ...o,
        onProgress: (p) => {
          j.progress = p;
          o.onProgress(p);
        },
      });
      c.proved++;
      c.lastMs = Date.now() - started;
      status.provingMs.push(c.lastMs);
      if (status.provingMs.length > 100) status.provingMs.shift();
      return proof;
    } finally {
      c.job = undefined;
    }
  };
}

async function readSaved(path: string): Promise<SavedDeployment | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(path)) as SavedDeployment;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw new Error(`cannot read ${path}: ${(e as Error).message} (make clean-data starts afresh)`);
  }
}

/** The saved contract must be on this L1 and its genesis batch on this L2. */
async function checkSaved(
  saved: SavedDeployment,
  l1: L1Client,
  l2: RpcClient,
  dir: string,
): Promise<void> {
  const fresh = `the chains in ${dir} do not match its deployment.json ` +
    "(a run killed before its state was saved?): make clean-data starts afresh";
  const code = await l1.pub.getCode({ address: saved.onChainProposer });
  if (!code || code === "0x") {
    throw new Error(`L1 has no OnChainProposer at ${saved.onChainProposer}: ${fresh}`);
  }
  const genesis = await new Proposer(l1, saved.onChainProposer).batch(0);
  const header = await l2.request<{ hash: Hex } | null>("eth_getBlockByNumber", [
    `0x${saved.genesisBlock.toString(16)}`,
    false,
  ]);
  if (header?.hash.toLowerCase() !== genesis.lastBlockHash.toLowerCase()) {
    throw new Error(`the L2's block ${saved.genesisBlock} is not the contract's genesis: ${fresh}`);
  }
}

function portNote(wanted: number, got: number): string {
  return wanted === 0 || wanted === got ? "" : `; port ${wanted} was taken`;
}
