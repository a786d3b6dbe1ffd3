/**
 * A scenario chain: a real anvil (no automine, opcode steps recorded so BLOCKHASH can be traced)
 * or a real geth in dev mode (a spec node), plus locally signed transactions of every type, so a
 * test decides which transactions land in which block. anvil mines exactly one block per
 * {@link ScenarioChain.mine}; geth (on-demand dev mode) seals as transactions arrive, so a mine
 * submits the waiting transactions together and may span a few blocks.
 */
import {
  type Abi,
  type Address,
  bytesToHex,
  concatHex,
  encodeDeployData,
  encodeFunctionData,
  type Hex,
  keccak256,
  pad,
  parseGwei,
  sha256,
  type TransactionSerializable,
} from "viem";
import { mnemonicToAccount, type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { type AnvilNode, startAnvil } from "../../lib/devnet/anvil.ts";
import { type GethNode, startGeth } from "../../lib/devnet/geth.ts";
import { RpcClient } from "../../lib/rpc/mod.ts";
import { normalizeForkName } from "../../lib/witness/fork.ts";
import contracts from "../fixtures/contracts/contracts.json" with { type: "json" };

/** Names of the compiled scenario contracts. */
export type ContractName = keyof typeof contracts.contracts;

/** anvil's dev accounts: its default mnemonic, indices 0..7. */
const MNEMONIC = "test test test test test test test test test test test junk";

/** Private keys of anvil's first dev accounts. */
export const DEV_KEYS: readonly Hex[] = Array.from({ length: 8 }, (_, i) => {
  const key = mnemonicToAccount(MNEMONIC, { addressIndex: i }).getHdKey().privateKey!;
  return bytesToHex(key);
});

/** Genesis timestamp of scenario chains (2023-11-14). */
const GENESIS_TIME = 1_700_000_000;
/** Seconds between scenario blocks. */
const BLOCK_TIME = 12;

/** Transaction envelope to use. */
export type TxKind = "legacy" | "eip2930" | "eip1559" | "eip4844" | "eip7702";

/** What to send. */
export interface TxSpec {
  readonly from?: number;
  readonly to?: Address;
  readonly value?: bigint;
  readonly data?: Hex;
  readonly gas?: bigint;
  readonly kind?: TxKind;
  readonly accessList?: { address: Address; storageKeys: Hex[] }[];
  /** EIP-7702: dev accounts (by index) that delegate to `delegateTo`. */
  readonly authorities?: number[];
  readonly delegateTo?: Address;
}

/** The ABI of a scenario contract. */
export function abiOf(name: ContractName): Abi {
  return contracts.contracts[name].abi as Abi;
}

/** Calldata of `fn(args)` on a scenario contract. */
export function calldata(name: ContractName, fn: string, args: readonly unknown[] = []): Hex {
  return encodeFunctionData({ abi: abiOf(name), functionName: fn, args });
}

/** Which node a scenario chain runs on. */
export type NodeKind = "anvil" | "geth";

/** A running scenario chain; dispose to stop the node. */
export class ScenarioChain implements AsyncDisposable {
  readonly accounts: PrivateKeyAccount[] = DEV_KEYS.map((k) => privateKeyToAccount(k));
  private readonly nonces = new Map<Address, number>();
  private pending: Hex[] = [];
  /** geth: signed transactions not yet submitted (submitted together by {@link mine}). */
  private unsent: { raw: Hex; from: Address; nonce: number }[] = [];
  private timestamp = GENESIS_TIME;
  /** Blocks the last {@link mine} produced (geth may seal a batch in more than one). */
  lastMined: bigint[] = [];

  private constructor(
    /** The node (named anvil for the anvil suites; on geth it is the geth node). */
    readonly anvil: AnvilNode | GethNode,
    readonly rpc: RpcClient,
    readonly hardfork: string | undefined,
    readonly chainId: number,
    /** The fork anvil runs, as DESIGN spells it. */
    readonly fork: string,
    readonly kind: NodeKind = "anvil",
  ) {}

  /**
   * Starts geth in dev mode (on-demand sealing) on a genesis pinned to `fork` (default osaka)
   * that funds anvil's dev accounts, so the scenarios run unchanged on a spec node.
   */
  static async startGeth(fork = "osaka"): Promise<ScenarioChain> {
    // a high gas limit: on-demand geth seals again only on a new transaction, so a batch that
    // overflows one block would leave the rest waiting
    // room in the pool's queue for a mine's transactions (see mineGeth)
    const pool = ["--txpool.accountqueue", "512", "--txpool.globalqueue", "8192"];
    // the genesis funds anvil's dev accounts (ANVIL_DEV_ALLOC), which DEV_KEYS sign for
    const geth = await startGeth({ fork, gasLimit: 60_000_000n, args: pool });
    try {
      const rpc = new RpcClient(geth.url, { concurrency: 8, retries: 2, timeoutMs: 60_000 });
      const chainId = Number(BigInt(await rpc.request<Hex>("eth_chainId", [])));
      return new ScenarioChain(geth, rpc, fork, chainId, fork, "geth");
    } catch (e) {
      await geth.stop();
      throw e;
    }
  }

  /**
   * Starts anvil at `hardfork` (anvil's default when undefined). `stepsTracing: false` starts it
   * as operators usually do, without opcode steps in debug traces; `mineFirst: false` leaves
   * block 1 to the caller.
   */
  static async start(
    hardfork?: string,
    opts: { stepsTracing?: boolean; mineFirst?: boolean } = {},
  ): Promise<ScenarioChain> {
    // A fixed genesis time and 12 s per block: block hashes do not depend on the wall clock, and
    // timestamps strictly increase as the spec requires (anvil would reuse a second otherwise).
    const args = ["--no-mining", "--timestamp", String(GENESIS_TIME)];
    if (opts.stepsTracing !== false) args.push("--steps-tracing");
    if (hardfork) args.push("--hardfork", hardfork);
    const anvil = await startAnvil({ args });
    const rpc = new RpcClient(anvil.url, { concurrency: 8, retries: 2, timeoutMs: 60_000 });
    const chainId = Number(BigInt(await rpc.request<Hex>("eth_chainId", [])));
    const info = await rpc.request<{ hardFork: string }>("anvil_nodeInfo", []);
    // anvil's genesis header carries the empty state root although the dev accounts are funded,
    // so block 1 cannot be proved against it: mine it empty; scenarios start at block 2.
    const chain = new ScenarioChain(
      anvil,
      rpc,
      hardfork,
      chainId,
      normalizeForkName(info.hardFork),
    );
    if (opts.mineFirst !== false) await chain.mine();
    return chain;
  }

  /** Dev account address by index. */
  address(i: number): Address {
    return this.accounts[i].address;
  }

  /** Signs and submits a transaction (not mined until {@link mine}); returns its hash. */
  async send(spec: TxSpec): Promise<Hex> {
    const acct = this.accounts[spec.from ?? 0];
    const nonce = await this.nextNonce(acct.address);
    const kind = spec.kind ?? "eip1559";
    const base = {
      chainId: this.chainId,
      nonce,
      to: spec.to,
      value: spec.value ?? 0n,
      data: spec.data ?? "0x",
      gas: spec.gas ?? (spec.data && spec.data !== "0x" ? 1_500_000n : 21_000n),
    };
    let tx: TransactionSerializable;
    if (kind === "legacy") tx = { ...base, type: "legacy", gasPrice: parseGwei("20") };
    else if (kind === "eip2930") {
      tx = {
        ...base,
        type: "eip2930",
        gasPrice: parseGwei("20"),
        accessList: spec.accessList ?? [],
      };
    } else if (kind === "eip1559") {
      tx = {
        ...base,
        type: "eip1559",
        maxFeePerGas: parseGwei("20"),
        maxPriorityFeePerGas: parseGwei("1"),
        accessList: spec.accessList,
      };
    } else if (kind === "eip4844") {
      // One all-zero blob: its KZG commitment and proof are the point at infinity, so no KZG
      // library is needed to make a valid blob transaction.
      const infinity = pad("0xc0", { dir: "right", size: 48 });
      tx = {
        ...base,
        to: spec.to!,
        type: "eip4844",
        maxFeePerGas: parseGwei("20"),
        maxPriorityFeePerGas: parseGwei("1"),
        maxFeePerBlobGas: parseGwei("20"),
        blobVersionedHashes: [concatHex(["0x01", `0x${sha256(infinity).slice(4)}`])],
        sidecars: [{ blob: `0x${"00".repeat(131072)}`, commitment: infinity, proof: infinity }],
      } as TransactionSerializable;
    } else {
      const authorizationList = [];
      for (const i of spec.authorities ?? []) {
        if (i === (spec.from ?? 0)) {
          throw new Error("an authority cannot also send the 7702 transaction here");
        }
        const a = this.accounts[i];
        const authNonce = await this.nextNonce(a.address); // the authorization bumps its nonce
        authorizationList.push(
          await a.signAuthorization({
            chainId: this.chainId,
            address: spec.delegateTo!,
            nonce: authNonce,
          }),
        );
      }
      tx = {
        ...base,
        to: spec.to!,
        type: "eip7702",
        maxFeePerGas: parseGwei("20"),
        maxPriorityFeePerGas: parseGwei("1"),
        authorizationList,
      };
    }
    const raw = await acct.signTransaction(tx);
    if (this.kind === "geth") {
      this.unsent.push({ raw, from: acct.address, nonce });
      const hash = keccak256(raw);
      this.pending.push(hash);
      return hash;
    }
    const hash = await this.rpc.request<Hex>("eth_sendRawTransaction", [raw]);
    this.pending.push(hash);
    return hash;
  }

  /** Deploys a scenario contract in its own block; returns its address. */
  async deploy(name: ContractName, args: readonly unknown[] = [], from = 0): Promise<Address> {
    const c = contracts.contracts[name];
    const data = encodeDeployData({ abi: c.abi as Abi, bytecode: c.bytecode as Hex, args });
    const hash = await this.send({ from, data, gas: 3_000_000n });
    await this.mine();
    const receipt = await this.rpc.request<{ contractAddress: Address; status: Hex }>(
      "eth_getTransactionReceipt",
      [hash],
    );
    if (receipt.status !== "0x1") throw new Error(`deploying ${name} failed`);
    return receipt.contractAddress;
  }

  /** Mines one block with every pending transaction (geth: the blocks they land in); returns the last. */
  async mine(): Promise<bigint> {
    if (this.kind === "geth") return await this.mineGeth();
    this.timestamp += BLOCK_TIME;
    await this.rpc.request("evm_setNextBlockTimestamp", [this.timestamp]);
    await this.rpc.request("evm_mine", []);
    const n = BigInt(await this.rpc.request<Hex>("eth_blockNumber", []));
    const receipts = await this.rpc.batch<{ blockNumber: Hex } | null>(
      this.pending.map((h) => ({ method: "eth_getTransactionReceipt", params: [h] })),
    );
    receipts.forEach((r, i) => {
      if (!r) throw new Error(`transaction ${this.pending[i]} was not mined in block ${n}`);
    });
    this.pending = [];
    this.lastMined = [n];
    return n;
  }

  private async mineGeth(): Promise<bigint> {
    const before = await this.head();
    if (this.unsent.length === 0) {
      // on-demand geth seals only when a transaction waits: a self-transfer of the last account
      const nonce = await this.nextNonce(this.address(7));
      const raw = await this.accounts[7].signTransaction({
        chainId: this.chainId,
        nonce,
        to: this.address(7),
        value: 0n,
        gas: 21_000n,
        type: "eip1559",
        maxFeePerGas: parseGwei("20"),
        maxPriorityFeePerGas: parseGwei("1"),
      });
      this.unsent.push({ raw, from: this.address(7), nonce });
      this.pending.push(keccak256(raw));
    }
    // geth seals when its pool promotes executable transactions. Each sender's first transaction
    // goes last: the others wait in the queue behind its nonce, then one batch promotes them
    // together, so a mine's transactions mostly land in one block.
    const first = new Map<Address, { raw: Hex; nonce: number }>();
    for (const u of this.unsent) {
      const f = first.get(u.from);
      if (!f || u.nonce < f.nonce) first.set(u.from, u);
    }
    const gates = new Set([...first.values()].map((f) => f.raw));
    const send = (raws: Hex[]) =>
      this.rpc.batch<Hex>(raws.map((r) => ({ method: "eth_sendRawTransaction", params: [r] })));
    const raws = this.unsent.map((u) => u.raw);
    this.unsent = [];
    await send(raws.filter((r) => !gates.has(r)));
    await send(raws.filter((r) => gates.has(r)));
    const receipts = await this.waitReceipts(this.pending);
    this.pending = [];
    const blocks = [...new Set(receipts.map((r) => BigInt(r.blockNumber)))].sort((a, b) =>
      a < b ? -1 : 1
    );
    const head = await this.head();
    this.lastMined = [];
    for (let n = before + 1n; n <= head; n++) this.lastMined.push(n);
    return blocks.at(-1) ?? head;
  }

  /** Polls until every transaction has a receipt (bounded). */
  private async waitReceipts(hashes: Hex[]): Promise<{ blockNumber: Hex }[]> {
    const until = Date.now() + 60_000;
    for (;;) {
      // a fresh geth answers "transaction indexing is in progress" for a moment: ask again
      const rs = await this.rpc.batch<{ blockNumber: Hex } | null>(
        hashes.map((h) => ({ method: "eth_getTransactionReceipt", params: [h] })),
      ).catch((e) => {
        if (/indexing is in progress/.test(String(e))) return [null];
        throw e;
      });
      if (rs.every((r) => r)) return rs as { blockNumber: Hex }[];
      if (Date.now() > until) throw new Error(`transactions not mined within 60 s on ${this.kind}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The status (true: success) of a mined transaction. */
  async succeeded(hash: Hex): Promise<boolean> {
    const r = await this.rpc.request<{ status: Hex }>("eth_getTransactionReceipt", [hash]);
    return r.status === "0x1";
  }

  /** eth_call at latest. */
  async call(to: Address, data: Hex): Promise<Hex> {
    return await this.rpc.request<Hex>("eth_call", [{ to, data }, "latest"]);
  }

  /** The current block number. */
  async head(): Promise<bigint> {
    return BigInt(await this.rpc.request<Hex>("eth_blockNumber", []));
  }

  private async nextNonce(addr: Address): Promise<number> {
    let n = this.nonces.get(addr);
    if (n === undefined) {
      n = Number(BigInt(await this.rpc.request<Hex>("eth_getTransactionCount", [addr, "pending"])));
    }
    this.nonces.set(addr, n + 1);
    return n;
  }

  /** Stops the node. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.anvil.stop();
  }
}
