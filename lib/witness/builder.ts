/**
 * Builds the version-1 prover input of block N from any EVM node. Where the node has
 * `debug_executionWitness` (reth, geth, ethrex) its witness is used as is; elsewhere (anvil) the
 * same witness is assembled the way rsp and zeth do: trace the block for touched keys, prove them
 * at the parent with eth_getProof, add the nodes that deletions make the executor read, the
 * bytecode, and the ancestor headers BLOCKHASH reaches.
 */
import { type Address, getAddress, type Hex } from "viem";
import { recoverAuthorizationAddress } from "viem/utils";
import type { ProverInput } from "../input/types.ts";
import { encodeProverInput } from "../input/codec.ts";
import type { Logger } from "../log/logger.ts";
import type { RpcClient } from "../rpc/client.ts";
import type { RpcBlock } from "../rpc/eth.ts";
import { getBlock, getBlockRlp, knownMissing } from "./chain.ts";
import { touchedCode } from "./codes.ts";
import { addCollapseNodes } from "./collapse.ts";
import { WitnessBuildError } from "./errors.ts";
import { detectFork, type ForkChoice } from "./fork.ts";
import { ancestorHeaders } from "./headers.ts";
import { nodeWitness } from "./node_witness.ts";
import { type Preflight, preflight, touch } from "./preflight.ts";
import { EMPTY_CODE_HASH, fetchProofs } from "./proofs.ts";
import { clientVersion, decideQuirks, type QuirksChoice } from "./quirks.ts";
import { PhaseClock, type WitnessStats } from "./stats.ts";
import { preBlockSystemTouches, queueContracts, queueSlots } from "./system.ts";
import { EMPTY_ROOT, NodeStore } from "./trie.ts";

/** Options of {@link buildProverInput}. */
export interface BuildOptions {
  /** Fork name to put in the input instead of detecting it. */
  readonly fork?: string;
  /** Use the node's debug_executionWitness when it has one (default true). */
  readonly useExecutionWitness?: boolean;
  /**
   * Spec deviations to ask the executor for (ProverInput.quirks), decided in quirks.ts: "auto"
   * (the default) by the node's identity, a list as given ([] asks for none).
   */
  readonly quirks?: QuirksChoice;
  /** Hashes tried per collapse-sibling key search (see key_search.ts). */
  readonly searchLimit?: number;
  readonly log?: Logger;
}

/** Builds the prover input of block `blockNumber`; see the module comment. */
export async function buildProverInput(
  rpc: RpcClient,
  blockNumber: bigint,
  opts: BuildOptions = {},
): Promise<{ input: ProverInput; stats: WitnessStats }> {
  if (blockNumber <= 0n) {
    throw new WitnessBuildError("block 0 (genesis) has no parent to prove against");
  }
  const clock = new PhaseClock(rpc);
  const log = opts.log;

  const { block, parent, chainId, fork, blockRlp, client, quirks } = await clock.phase(
    "block",
    async (rpc) => {
      // The parent is fetched once the block is known to exist, so a missing block is reported
      // as itself, not as its parent.
      const [block, chainIdHex, client] = await Promise.all([
        getBlock(rpc, blockNumber),
        rpc.request<Hex>("eth_chainId", []),
        clientVersion(rpc),
      ]);
      const { quirks } = decideQuirks(opts.quirks, client);
      const sidecarsInBody = quirks.includes("anvil") || quirks.includes("sidecarsInBody");
      const [parent, fork, blockRlp] = await Promise.all([
        getBlock(rpc, blockNumber - 1n),
        detectFork(rpc, block, opts.fork),
        getBlockRlp(rpc, block, { sidecarsInBody }),
      ]);
      return { block, parent, chainId: Number(BigInt(chainIdHex)), fork, blockRlp, client, quirks };
    },
  );
  if (fork.note) log?.warn(`fork ${fork.fork}: ${fork.note}`);
  if (quirks.length && (opts.quirks === undefined || opts.quirks === "auto")) {
    log?.warn(
      `the node is ${client}: the input asks the executor for its quirks (${quirks.join(", ")}), ` +
        "so the proof attests that node's rules, not Ethereum's (dev chains only)",
    );
  }

  const stats: WitnessStats = {
    blockNumber: blockNumber.toString(),
    source: "proofs",
    client,
    quirks,
    fork: fork.fork,
    forkSource: fork.source,
    forkNote: fork.note,
    txs: block.transactions.length,
    gasUsed: Number(BigInt(block.gasUsed)),
    blockSource: blockRlp.source,
    phases: clock.phases,
    totalMs: 0,
    rpc: clock.rpcDelta(),
    witness: {
      stateNodes: 0,
      codes: 0,
      keys: 0,
      headers: 0,
      stateBytes: 0,
      codeBytes: 0,
      headerBytes: 0,
      blockBytes: 0,
      jsonBytes: 0,
    },
    touched: { accounts: 0, slots: 0 },
    deletions: { accounts: 0, slots: 0 },
    collapse: { needed: 0, fromPostState: 0, fromSearch: 0, unresolved: 0 },
    ancestors: { mode: "none", tracedTxs: 0 },
  };

  let witness: ProverInput["witness"] | undefined;
  if (opts.useExecutionWitness !== false && !knownMissing(rpc, "debug_executionWitness")) {
    witness = await clock.phase("executionWitness", (r) => nodeWitness(r, blockNumber));
    if (witness) stats.source = "debug_executionWitness";
  }
  witness ??= await assembleWitness(block, parent, fork, clock, stats, opts);

  const input: ProverInput = {
    version: 1,
    chainId,
    fork: fork.fork,
    block: blockRlp.rlp,
    witness,
    ...(quirks.length ? { quirks } : {}),
  };
  const byteLen = (xs: readonly Hex[]) => xs.reduce((n, x) => n + (x.length - 2) / 2, 0);
  stats.witness = {
    stateNodes: witness.state.length,
    codes: witness.codes.length,
    keys: witness.keys.length,
    headers: witness.headers.length,
    stateBytes: byteLen(witness.state),
    codeBytes: byteLen(witness.codes),
    headerBytes: byteLen(witness.headers),
    blockBytes: byteLen([blockRlp.rlp]),
    jsonBytes: encodeProverInput(input).length,
  };
  stats.totalMs = clock.elapsed();
  stats.rpc = clock.rpcDelta();
  return { input, stats };
}

async function assembleWitness(
  block: RpcBlock,
  parent: RpcBlock,
  fork: ForkChoice,
  clock: PhaseClock,
  stats: WitnessStats,
  opts: BuildOptions,
): Promise<ProverInput["witness"]> {
  const n = BigInt(block.number);
  const parentNumber = n - 1n;
  const log = opts.log;

  // 1. Which keys the block touches.
  const pf: Preflight = await clock.phase(
    "preflight",
    (rpc) => blockTouches(rpc, block, fork.fork),
  );
  const touched = pf.touched;

  // 2. Proofs of every touched key at the parent.
  const store = new NodeStore();
  // The ancestor headers depend on the trace only: fetch them while the proofs come in.
  const headersDone = clock.phase(
    "headers",
    (rpc) => ancestorHeaders(rpc, block, parent, pf, stats),
  );
  headersDone.catch(() => {}); // awaited below; this only marks a failure as handled meanwhile

  const parentProofs = await clock.phase("proofs", async (rpc) => {
    const proofs = await fetchProofs(rpc, touched, parentNumber);
    // The request queues read as many queued entries as head..tail says.
    const more = new Map<Address, Hex[]>();
    for (const q of queueContracts(fork.fork)) {
      const p = proofs.get(getAddress(q.address));
      if (!p || p.codeHash.toLowerCase() === EMPTY_CODE_HASH) continue;
      const val = (slot: number) =>
        BigInt(p.storageProof.find((s) => BigInt(s.key) === BigInt(slot))?.value ?? "0x0");
      const slots = queueSlots(q, val(2), val(3));
      if (slots.length) {
        more.set(getAddress(q.address), slots);
        touch(touched, q.address, slots);
      }
    }
    for (const [addr, p] of await fetchProofs(rpc, more, parentNumber)) {
      const prev = proofs.get(addr)!;
      proofs.set(addr, { ...prev, storageProof: [...prev.storageProof, ...p.storageProof] });
    }
    return proofs;
  });
  for (const p of parentProofs.values()) {
    store.addAll(p.accountProof);
    for (const s of p.storageProof) store.addAll(s.proof);
  }
  const stateRoot = parent.stateRoot.toLowerCase() as Hex;
  if (
    stateRoot === EMPTY_ROOT && [...parentProofs.values()].some((p) => p.accountProof.length > 0)
  ) {
    throw new WitnessBuildError(
      `block ${parentNumber}'s header has the empty state root but the node's state at it has ` +
        "accounts: the header does not commit to that state (anvil's genesis does this), so block " +
        `${n} cannot be proved statelessly; prove later blocks`,
    );
  }
  if (stateRoot !== EMPTY_ROOT && !store.has(stateRoot)) {
    throw new WitnessBuildError(
      `the node's proofs at block ${parentNumber} do not contain its state root ${stateRoot}; ` +
        "the node may have pruned that state (use an archive node or a more recent block)",
    );
  }
  stats.touched = {
    accounts: touched.size,
    slots: [...touched.values()].reduce((k, s) => k + s.size, 0),
  };

  // 3. The same keys after the block (which of them the block deletes), and the bytecode.
  const [postProofs, codes] = await Promise.all([
    clock.phase("postProofs", (rpc) => fetchProofs(rpc, touched, n)),
    clock.phase("codes", (rpc) => touchedCode(rpc, parentProofs, pf, parentNumber)),
  ]);

  // 4. Deletions: the nodes a branch collapse makes the executor read.
  await clock.phase(
    "deletions",
    (rpc) =>
      addCollapseNodes(
        store,
        stateRoot,
        parentProofs,
        postProofs,
        stats,
        opts.searchLimit,
        log,
        (req) => fetchProofs(rpc, req, parentNumber),
      ),
  );
  const headers = await headersDone;

  const keys = new Set<Hex>();
  for (const [addr, slots] of touched) {
    keys.add(addr.toLowerCase() as Hex);
    for (const s of slots) keys.add(s);
  }
  return { state: store.values(), codes, keys: [...keys].sort(), headers };
}

/**
 * Every account and slot block `block` touches: the transactions' prestate trace, plus what every
 * executor reads whatever a tracer shows (coinbase, senders, recipients, 7702 authorities,
 * withdrawal recipients) and the system calls' state.
 */
export async function blockTouches(
  rpc: RpcClient,
  block: RpcBlock,
  fork: string,
): Promise<Preflight> {
  const pf: Preflight = block.transactions.length === 0
    ? { touched: new Map(), codes: new Map(), perTx: [] }
    : await preflight(rpc, BigInt(block.number));
  const touched = pf.touched;
  touch(touched, block.miner);
  for (const tx of block.transactions) {
    touch(touched, tx.from);
    if (tx.to) touch(touched, tx.to);
    for (const auth of tx.authorizationList ?? []) {
      touch(touched, auth.address);
      try {
        touch(touched, await recoverAuthority(auth));
      } catch { /* an invalid signature is skipped by the EVM too */ }
    }
  }
  for (const w of block.withdrawals ?? []) touch(touched, w.address);
  for (const [addr, slots] of preBlockSystemTouches(fork, block)) touch(touched, addr, slots);
  return pf;
}

async function recoverAuthority(
  auth: NonNullable<RpcBlock["transactions"][number]["authorizationList"]>[number],
) {
  return await recoverAuthorizationAddress({
    authorization: {
      address: auth.address,
      chainId: Number(BigInt(auth.chainId)),
      nonce: Number(BigInt(auth.nonce)),
      r: auth.r,
      s: auth.s,
      yParity: Number(BigInt(auth.yParity)),
    },
  });
}
