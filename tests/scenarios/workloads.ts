/**
 * Realistic benchmark blocks (`make fixtures-perf` → tests/fixtures/perf/): blocks of about 1,
 * 10 and 30 Mgas, each a mix by gas of ETH transfers (20 %), ERC-20 transfers (30 %), swaps on a
 * Uniswap-v2-style pair (25 %), storage-heavy calls (15 %) and contract creation (10 %), sent by
 * 200 accounts to existing and fresh addresses; and a batch of 10 consecutive ~1 Mgas blocks.
 * Made on a real anvil (its quirks recorded in each input, as perf-test runs them) and on a real
 * geth pinned to osaka (spec rules, no quirks; its witness from debug_executionWitness).
 *
 *   deno run -A tests/scenarios/workloads.ts [out-dir] [anvil|geth ...]
 */
import {
  type Abi,
  type Address,
  bytesToHex,
  encodeDeployData,
  encodeFunctionData,
  getContractAddress,
  type Hex,
  keccak256,
  parseGwei,
  toHex,
} from "viem";
import { mnemonicToAccount, type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { type AnvilNode, startAnvil } from "../../lib/devnet/anvil.ts";
import { gethBin, type GethNode, startGeth } from "../../lib/devnet/geth.ts";
import { encodeProverInput, mergeBlockInputs, type ProverInput } from "../../lib/input/mod.ts";
import { RpcClient } from "../../lib/rpc/mod.ts";
import type { RpcBlock } from "../../lib/rpc/eth.ts";
import { buildProverInput } from "../../lib/witness/mod.ts";
import workloads from "../fixtures/contracts/workloads.json" with { type: "json" };

const MNEMONIC = "test test test test test test test test test test test junk";
const ACCOUNTS = 200;
const GENESIS_TIME = 1_700_000_000;
const GAS_LIMIT = 100_000_000n;
/** geth's block time here: long enough to submit a 30 Mgas block's transactions in one gap. */
const GETH_PERIOD_S = 8;

/** The 200 accounts of anvil's mnemonic that send the workload. */
function devAccounts(): PrivateKeyAccount[] {
  return Array.from({ length: ACCOUNTS }, (_, i) =>
    privateKeyToAccount(
      bytesToHex(mnemonicToAccount(MNEMONIC, { addressIndex: i }).getHdKey().privateKey!),
    ));
}

type Name = keyof typeof workloads.contracts;
const abi = (n: Name) => workloads.contracts[n].abi as Abi;
const call = (n: Name, fn: string, args: readonly unknown[]) =>
  encodeFunctionData({ abi: abi(n), functionName: fn, args });

/** A deterministic pseudo-random sequence (the same blocks on every run). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A workload chain: anvil with many funded accounts, the workload contracts deployed. */
export class WorkloadChain implements AsyncDisposable {
  private readonly nonces = new Map<Address, number>();
  private timestamp = GENESIS_TIME;
  private pending: Hex[] = [];
  /** geth: signed transactions a mine submits together. */
  private unsent: Hex[] = [];
  private fresh = 0;
  tokenA!: Address;
  tokenB!: Address;
  pair!: Address;
  registry!: Address;

  private constructor(
    readonly node: AnvilNode | GethNode,
    readonly rpc: RpcClient,
    readonly chainId: number,
    readonly accounts: readonly PrivateKeyAccount[],
    readonly kind: "anvil" | "geth" = "anvil",
  ) {}

  /**
   * Starts geth pinned to `fork` with the 200 accounts funded in its genesis and a block every
   * `GETH_PERIOD_S` s: a mine submits its transactions right after a block, so they land in the
   * next one together.
   */
  static async startGeth(fork = "osaka"): Promise<WorkloadChain> {
    const accounts = devAccounts();
    const geth = await startGeth({
      fork,
      gasLimit: GAS_LIMIT,
      periodS: GETH_PERIOD_S,
      alloc: Object.fromEntries(accounts.map((a) => [a.address, 10n ** 24n])),
      args: ["--txpool.globalslots", "20000", "--txpool.accountslots", "64"],
    });
    const rpc = new RpcClient(geth.url, { concurrency: 4, retries: 1, timeoutMs: 900_000 });
    try {
      const chainId = Number(BigInt(await rpc.request<Hex>("eth_chainId", [])));
      const chain = new WorkloadChain(geth, rpc, chainId, accounts, "geth");
      await chain.setup();
      return chain;
    } catch (e) {
      await geth.stop();
      throw e;
    }
  }

  /** Starts anvil (`hardfork`, or its default) and runs the setup blocks. */
  static async start(hardfork?: string): Promise<WorkloadChain> {
    const args = [
      "--no-mining",
      "--timestamp",
      String(GENESIS_TIME),
      "--accounts",
      String(ACCOUNTS),
      "--gas-limit",
      String(GAS_LIMIT),
      ...(hardfork ? ["--hardfork", hardfork] : []),
    ];
    const anvil = await startAnvil({ args });
    // tracing a 30 Mgas block takes minutes on a loaded 2-core machine
    const rpc = new RpcClient(anvil.url, { concurrency: 4, retries: 1, timeoutMs: 900_000 });
    const chainId = Number(BigInt(await rpc.request<Hex>("eth_chainId", [])));
    const accounts = devAccounts();
    const chain = new WorkloadChain(anvil, rpc, chainId, accounts);
    try {
      await chain.mine(); // anvil's genesis carries the empty state root: block 1 is not provable
      await chain.setup();
    } catch (e) {
      await anvil.stop();
      throw e;
    }
    return chain;
  }

  private async setup(): Promise<void> {
    const deployer = this.accounts[0];
    const supply = 10n ** 30n;
    const base = await this.nonce(deployer.address, false);
    const deploy = (name: Name, args: readonly unknown[]) =>
      this.send(0, {
        data: encodeDeployData({
          abi: abi(name),
          bytecode: workloads.contracts[name].bytecode as Hex,
          args,
        }),
        gas: 3_000_000n,
      });
    await deploy("Token", ["Alpha", "A", supply]);
    await deploy("Token", ["Beta", "B", supply]);
    this.tokenA = getContractAddress({ from: deployer.address, nonce: BigInt(base) });
    this.tokenB = getContractAddress({ from: deployer.address, nonce: BigInt(base + 1) });
    await deploy("Pair", [this.tokenA, this.tokenB]);
    await deploy("Registry", []);
    this.pair = getContractAddress({ from: deployer.address, nonce: BigInt(base + 2) });
    this.registry = getContractAddress({ from: deployer.address, nonce: BigInt(base + 3) });
    await this.mine();
    // hand tokens to every account, seed the pair's liquidity, and approve the pair everywhere
    const everyone = this.accounts.map((a) => a.address);
    for (const t of [this.tokenA, this.tokenB]) {
      for (let i = 0; i < everyone.length; i += 50) {
        await this.send(0, {
          to: t,
          data: call("Token", "spread", [everyone.slice(i, i + 50), 10n ** 24n]),
          gas: 3_000_000n,
        });
      }
      await this.send(0, {
        to: t,
        data: call("Token", "transfer", [this.pair, 10n ** 27n]),
        gas: 100_000n,
      });
    }
    await this.mine();
    await this.send(0, { to: this.pair, data: call("Pair", "sync", []), gas: 200_000n });
    for (let i = 0; i < this.accounts.length; i++) {
      for (const t of [this.tokenA, this.tokenB]) {
        await this.send(i, {
          to: t,
          data: call("Token", "approve", [this.pair, 2n ** 256n - 1n]),
          gas: 80_000n,
        });
      }
    }
    await this.mine();
  }

  /** Sends about `targetGas` of the mix into the next block (not mined); `seed` picks senders. */
  async fillMix(targetGas: number, seed: number): Promise<void> {
    const r = rng(seed);
    const pick = () => Math.floor(r() * this.accounts.length);
    const shares = [
      { kind: "eth", share: 0.2, gas: 21_000 },
      { kind: "erc20", share: 0.3, gas: 40_000 },
      { kind: "swap", share: 0.25, gas: 90_000 },
      { kind: "storage", share: 0.15, gas: 250_000 },
      { kind: "create", share: 0.1, gas: 700_000 },
    ] as const;
    const planned: (typeof shares)[number]["kind"][] = [];
    for (const s of shares) {
      const n = Math.max(1, Math.round((targetGas * s.share) / s.gas));
      for (let i = 0; i < n; i++) planned.push(s.kind);
    }
    // interleave the kinds, as a real block's order would
    for (let i = planned.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [planned[i], planned[j]] = [planned[j], planned[i]];
    }
    for (const kind of planned) {
      const from = pick();
      const to = r() < 0.3 ? this.freshAddress() : this.accounts[pick()].address;
      if (kind === "eth") {
        await this.send(from, { to, value: 10n ** 15n + BigInt(Math.floor(r() * 1e9)) });
      } else if (kind === "erc20") {
        const token = r() < 0.5 ? this.tokenA : this.tokenB;
        await this.send(from, {
          to: token,
          data: call("Token", "transfer", [to, 10n ** 18n + BigInt(Math.floor(r() * 1e12))]),
          gas: 80_000n,
        });
      } else if (kind === "swap") {
        await this.send(from, {
          to: this.pair,
          data: call("Pair", "swap", [
            10n ** 18n * BigInt(1 + Math.floor(r() * 50)),
            r() < 0.5,
            1n,
            this.accounts[from].address,
          ]),
          gas: 200_000n,
        });
      } else if (kind === "storage") {
        await this.send(from, {
          to: this.registry,
          data: call("Registry", "fill", [BigInt(Math.floor(r() * 2 ** 40)), 10n]),
          gas: 400_000n,
        });
      } else {
        await this.send(from, {
          data: encodeDeployData({
            abi: abi("Token"),
            bytecode: workloads.contracts.Token.bytecode as Hex,
            args: [`W${seed}`, "W", 10n ** 24n],
          }),
          gas: 1_500_000n,
        });
      }
    }
  }

  private freshAddress(): Address {
    this.fresh++;
    return `0x${(0xf0000000 + this.fresh).toString(16).padStart(40, "0")}` as Address;
  }

  private async send(
    from: number,
    tx: { to?: Address; value?: bigint; data?: Hex; gas?: bigint },
  ): Promise<void> {
    const acct = this.accounts[from];
    const raw = await acct.signTransaction({
      chainId: this.chainId,
      nonce: await this.nonce(acct.address, true),
      to: tx.to,
      value: tx.value ?? 0n,
      data: tx.data ?? "0x",
      gas: tx.gas ?? 21_000n,
      type: "eip1559",
      maxFeePerGas: parseGwei("50"),
      maxPriorityFeePerGas: parseGwei("1"),
    });
    if (this.kind === "geth") {
      this.unsent.push(raw);
      this.pending.push(keccak256(raw));
      return;
    }
    this.pending.push(await this.rpc.request<Hex>("eth_sendRawTransaction", [raw]));
  }

  private async nonce(addr: Address, bump: boolean): Promise<number> {
    let n = this.nonces.get(addr);
    if (n === undefined) {
      n = Number(BigInt(await this.rpc.request<Hex>("eth_getTransactionCount", [addr, "pending"])));
    }
    this.nonces.set(addr, bump ? n + 1 : n);
    return n;
  }

  /** Mines one block with every pending transaction; fails if one is left out or reverted. */
  async mine(): Promise<bigint> {
    if (this.kind === "geth") return await this.mineGeth();
    this.timestamp += 12;
    await this.rpc.request("evm_setNextBlockTimestamp", [this.timestamp]);
    await this.rpc.request("evm_mine", []);
    const n = BigInt(await this.rpc.request<Hex>("eth_blockNumber", []));
    const receipts = await this.rpc.batch<{ blockNumber: Hex; status: Hex } | null>(
      this.pending.map((h) => ({ method: "eth_getTransactionReceipt", params: [h] })),
    );
    receipts.forEach((rc, i) => {
      if (!rc) throw new Error(`transaction ${this.pending[i]} was not mined in block ${n}`);
      if (rc.status !== "0x1") {
        throw new Error(`transaction ${this.pending[i]} reverted in block ${n}`);
      }
    });
    this.pending = [];
    return n;
  }

  // geth seals every GETH_PERIOD_S s: submit right after a seal, then wait for the receipts;
  // all of a mine's transactions must land in one block.
  private async mineGeth(): Promise<bigint> {
    const raws = this.unsent;
    this.unsent = [];
    const start = await this.head();
    while ((await this.head()) === start) await new Promise((r) => setTimeout(r, 200));
    for (let i = 0; i < raws.length; i += 200) {
      await this.rpc.batch<Hex>(
        raws.slice(i, i + 200).map((r) => ({ method: "eth_sendRawTransaction", params: [r] })),
      );
    }
    const blocks = new Set<string>();
    for (const h of this.pending) {
      let rc: { blockNumber: Hex; status: Hex } | null = null;
      const deadline = Date.now() + 10 * GETH_PERIOD_S * 1000;
      while (!(rc = await this.rpc.request("eth_getTransactionReceipt", [h]))) {
        if (Date.now() > deadline) throw new Error(`transaction ${h} was not mined`);
        await new Promise((r) => setTimeout(r, 250));
      }
      if (rc.status !== "0x1") {
        throw new Error(`transaction ${h} reverted in block ${rc.blockNumber}`);
      }
      blocks.add(rc.blockNumber);
    }
    this.pending = [];
    if (blocks.size > 1) throw new Error(`a mine's transactions spread over blocks ${[...blocks]}`);
    return blocks.size === 1 ? BigInt([...blocks][0]) : await this.head();
  }

  private async head(): Promise<bigint> {
    return BigInt(await this.rpc.request<Hex>("eth_blockNumber", []));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.node.stop();
  }
}

/** One saved benchmark input and the facts perf-test and the index record of it. */
interface Saved {
  readonly file: string;
  readonly node: string;
  readonly blocks: number[];
  readonly txs: number;
  readonly gasUsed: number;
  readonly bytes: number;
  readonly postStateRoot: Hex;
}

async function blockFacts(
  rpc: RpcClient,
  n: bigint,
): Promise<{ txs: number; gas: number; root: Hex }> {
  const b = await rpc.request<RpcBlock & { transactions: unknown[] }>("eth_getBlockByNumber", [
    toHex(n),
    false,
  ]);
  return { txs: b.transactions.length, gas: Number(BigInt(b.gasUsed)), root: b.stateRoot };
}

if (import.meta.main) {
  const [outArg, ...nodesArg] = Deno.args;
  const out = outArg ?? new URL("../fixtures/perf/", import.meta.url).pathname;
  const nodes = nodesArg.length ? nodesArg : gethBin() ? ["anvil", "geth"] : ["anvil"];
  await Deno.mkdir(out, { recursive: true });
  const saved: Saved[] = [];
  for (const node of nodes) {
    await using chain = node === "geth"
      ? await WorkloadChain.startGeth()
      : await WorkloadChain.start();
    const prefix = node === "geth" ? "geth-" : "";
    const save = async (name: string, inputs: ProverInput[], blocks: bigint[]) => {
      const input = inputs.length === 1 ? inputs[0] : mergeBlockInputs(inputs);
      const json = encodeProverInput(input);
      const file = `${prefix}${input.fork}-${name}.json`;
      await Deno.writeTextFile(`${out}/${file}`, json + "\n");
      const facts = await Promise.all(blocks.map((n) => blockFacts(chain.rpc, n)));
      const s: Saved = {
        file,
        node,
        blocks: blocks.map(Number),
        txs: facts.reduce((a, f) => a + f.txs, 0),
        gasUsed: facts.reduce((a, f) => a + f.gas, 0),
        bytes: json.length,
        postStateRoot: facts.at(-1)!.root,
      };
      saved.push(s);
      console.log(
        `wrote ${file}: ${s.blocks.length} blocks, ${s.txs} txs, ${
          s.gasUsed.toLocaleString("en-US")
        } gas, ${(s.bytes / 1024).toFixed(0)} KiB`,
      );
    };
    for (
      // targets above the nominal size: the per-kind gas estimates run a little high
      const [name, gas, seed] of [
        ["mix-1m", 0.6e6, 1],
        ["mix-10m", 10.8e6, 2],
        ["mix-30m", 33e6, 3],
      ] as const
    ) {
      await chain.fillMix(gas, seed);
      const n = await chain.mine();
      await save(name, [(await buildProverInput(chain.rpc, n)).input], [n]);
    }
    if (node === "geth") continue; // the 10-block batch is made on anvil only
    const batch: ProverInput[] = [];
    const blocks: bigint[] = [];
    for (let i = 0; i < 10; i++) {
      await chain.fillMix(0.6e6, 100 + i);
      const n = await chain.mine();
      blocks.push(n);
      batch.push((await buildProverInput(chain.rpc, n)).input);
    }
    await save("batch-10x1m", batch, blocks);
  }
  await Deno.writeTextFile(`${out}/index.json`, JSON.stringify(saved, null, 1) + "\n");
  await new Deno.Command(Deno.execPath(), { args: ["fmt", "--quiet", `${out}/index.json`] })
    .output();
}
