/**
 * A transaction generator for a local L2 (anvil or geth --dev): a mix of ETH transfers, ERC-20
 * transfers (contracts/src/dev/DevToken.sol), storage-heavy calls (StorageFill.fill: fresh slots
 * and rewrites) and contract creations, so proved blocks touch accounts, balances, nonces, logs,
 * storage tries and new code. Transactions are signed here with anvil's dev keys, so the same
 * generator drives any node: on a node whose dev keys hold no ETH (geth --dev) they are funded
 * first from the node's unlocked dev account.
 */
import { encodeDeployData, encodeFunctionData, type Hex, parseEther } from "viem";
import { mnemonicToAccount, type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { bytesToHex } from "viem/utils";
import { DevToken, StorageFill } from "../../contracts/build/artifacts.ts";
import type { Logger } from "../log/logger.ts";
import type { JsonRpc } from "../server/facts.ts";

/** Runtime: `slot0 += 1` on every call (PUSH1 0 SLOAD PUSH1 1 ADD PUSH1 0 SSTORE STOP). */
const COUNTER_RUNTIME = "60005460010160005500";
/** Init code returning COUNTER_RUNTIME (PUSH10 runtime, MSTORE at 0, RETURN bytes 22..31). */
export const COUNTER_INITCODE: Hex = `0x69${COUNTER_RUNTIME}600052600a6016f3`;

/** anvil's default mnemonic: its dev accounts, funded on every anvil, nowhere real. */
const DEV_MNEMONIC = "test test test test test test test test test test test junk";
/** Accounts the generator sends from (anvil's dev accounts 0..7). */
const ACCOUNTS = 8;

/** The kinds of transaction the generator sends, in the order of one round. */
export const TX_KINDS = ["transfer", "erc20", "storage", "transfer", "erc20", "create"] as const;
/** One kind of generated transaction. */
export type TxKind = (typeof TX_KINDS)[number];

/** Generator settings. */
export interface TxGenOptions {
  /** Transactions sent per tick. */
  readonly txsPerTick: number;
  /** Time between ticks. */
  readonly tickMs: number;
  /** Slots StorageFill.fill writes per storage-heavy call (default 8). */
  readonly storageSlots?: number;
  readonly log: Logger;
}

/** A running generator. */
export interface TxGen extends AsyncDisposable {
  /** Transactions sent so far. */
  sent(): number;
  /** Transactions sent so far, by kind. */
  sentByKind(): Readonly<Record<TxKind, number>>;
  /** Where the generator's contracts are. */
  readonly contracts: { readonly token: Hex; readonly storage: Hex };
  /** Paused, it sends nothing (up pauses it with the L2 while the provers catch up). */
  pause(paused: boolean): void;
  /** Stops sending and waits for the current tick to finish. */
  stop(): Promise<void>;
}

/** Deploys the token and the storage contract, funds the senders if needed, and starts sending. */
export async function startTxGen(rpc: JsonRpc, opts: TxGenOptions): Promise<TxGen> {
  const chainId = Number(BigInt(await rpc.request<Hex>("eth_chainId", [])));
  const accounts = Array.from({ length: ACCOUNTS }, (_, i) => devAccount(i));
  const sender = new Sender(rpc, chainId);
  await fundIfNeeded(rpc, accounts, opts.log);
  for (const a of accounts) await sender.track(a);

  const [deployer] = accounts;
  const token = await sender.deploy(
    deployer,
    encodeDeployData({ abi: DevToken.abi, bytecode: DevToken.bytecode, args: [10n ** 30n] }),
  );
  const storage = await sender.deploy(deployer, StorageFill.bytecode);
  // Every sender gets tokens, so ERC-20 transfers go between all of them.
  const shares = await Promise.all(
    accounts.slice(1).map((a) =>
      sender.send(deployer, {
        to: token,
        data: encodeFunctionData({
          abi: DevToken.abi,
          functionName: "transfer",
          args: [a.address, 10n ** 24n],
        }),
        gas: 100_000n,
      })
    ),
  );
  await Promise.all(shares.map((h) => sender.mined(h)));
  opts.log.info(`transaction generator: DevToken at ${token}, StorageFill at ${storage}`, {
    senders: accounts.length,
    txsPerTick: opts.txsPerTick,
    mix: TX_KINDS.join(","),
  });

  const slots = BigInt(opts.storageSlots ?? 8);
  const byKind = Object.fromEntries(TX_KINDS.map((k) => [k, 0])) as Record<TxKind, number>;
  let sent = 0;
  let stopped = false;
  let paused = false;
  let wake: (() => void) | undefined;
  const txOf = (kind: TxKind, n: number): { to?: Hex; data?: Hex; value?: bigint; gas: bigint } => {
    const to = accounts[(n * 3 + 1) % accounts.length].address;
    switch (kind) {
      case "transfer":
        return { to, value: 1_000_000_000n * BigInt(n % 100 + 1), gas: 21_000n };
      case "erc20":
        return {
          to: token,
          data: encodeFunctionData({
            abi: DevToken.abi,
            functionName: "transfer",
            args: [to, BigInt(n + 1) * 10n ** 15n],
          }),
          gas: 100_000n,
        };
      case "storage":
        return {
          to: storage,
          data: encodeFunctionData({ abi: StorageFill.abi, functionName: "fill", args: [slots] }),
          gas: 60_000n + slots * 30_000n,
        };
      case "create":
        return { data: COUNTER_INITCODE, gas: 100_000n };
    }
  };
  const loop = (async () => {
    for (let n = 0, tick = 0; !stopped; tick++) {
      for (let i = 0; i < opts.txsPerTick && !stopped && !paused; i++, n++) {
        const kind = TX_KINDS[n % TX_KINDS.length];
        const from = accounts[n % accounts.length];
        try {
          await sender.send(from, txOf(kind, n));
          sent++;
          byKind[kind]++;
        } catch (e) {
          if (stopped) break;
          opts.log.warn(`transaction generator: ${kind} send failed: ${(e as Error).message}`);
          await sender.track(from).catch(() => {}); // the nonce may have moved on
        }
      }
      await new Promise<void>((r) => {
        const t = setTimeout(r, opts.tickMs);
        wake = () => {
          clearTimeout(t);
          r();
        };
      });
    }
  })();
  const stop = async () => {
    stopped = true;
    wake?.();
    await loop;
  };
  return {
    sent: () => sent,
    sentByKind: () => ({ ...byKind }),
    contracts: { token, storage },
    pause: (p) => {
      paused = p;
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/** anvil's dev account `i` (its default mnemonic). */
export function devAccount(i: number): PrivateKeyAccount {
  const key = mnemonicToAccount(DEV_MNEMONIC, { addressIndex: i }).getHdKey().privateKey!;
  return privateKeyToAccount(bytesToHex(key));
}

/** Signs and sends transactions, keeping each account's next nonce. */
class Sender {
  private readonly nonces = new Map<string, number>();
  constructor(private readonly rpc: JsonRpc, private readonly chainId: number) {}

  /** (Re)reads the account's next nonce from the node. */
  async track(a: PrivateKeyAccount): Promise<void> {
    const n = await this.rpc.request<Hex>("eth_getTransactionCount", [a.address, "pending"]);
    this.nonces.set(a.address, Number(BigInt(n)));
  }

  /**
   * Signs and sends one transaction; resolves to its hash. Its gas is the node's estimate with a
   * margin, `tx.gas` at least: gas schedules differ between nodes and forks (geth --dev's future
   * forks price storage far above anvil's).
   */
  async send(
    from: PrivateKeyAccount,
    tx: { to?: Hex; data?: Hex; value?: bigint; gas: bigint },
  ): Promise<Hex> {
    const estimate = BigInt(
      await this.rpc.request<Hex>("eth_estimateGas", [{
        from: from.address,
        to: tx.to,
        data: tx.data,
        value: `0x${(tx.value ?? 0n).toString(16)}`,
      }]),
    );
    const gas = estimate * 5n / 4n > tx.gas ? estimate * 5n / 4n : tx.gas;
    const nonce = this.nonces.get(from.address)!;
    this.nonces.set(from.address, nonce + 1);
    const raw = await from.signTransaction({
      type: "eip1559",
      chainId: this.chainId,
      nonce,
      to: tx.to ?? null,
      data: tx.data,
      value: tx.value ?? 0n,
      gas,
      // far above a dev chain's base fee (which only falls there); only base fee + tip is paid
      maxFeePerGas: 50_000_000_000n,
      maxPriorityFeePerGas: 1_000_000_000n,
    });
    return await this.rpc.request<Hex>("eth_sendRawTransaction", [raw]);
  }

  /** Sends a contract creation and waits for its address. */
  async deploy(from: PrivateKeyAccount, data: Hex): Promise<Hex> {
    const hash = await this.send(from, { data, gas: 3_000_000n });
    const receipt = await this.mined(hash);
    if (!receipt.contractAddress) throw new Error(`deployment ${hash} made no contract`);
    return receipt.contractAddress;
  }

  /** Waits for `hash` to be mined successfully (60 s at most). */
  async mined(hash: Hex): Promise<{ contractAddress: Hex | null }> {
    return await minedReceipt(this.rpc, hash);
  }
}

async function minedReceipt(rpc: JsonRpc, hash: Hex): Promise<{ contractAddress: Hex | null }> {
  for (let i = 0; i < 600; i++) {
    const receipt = await rpc.request<{ contractAddress: Hex | null; status: Hex } | null>(
      "eth_getTransactionReceipt",
      [hash],
    );
    if (receipt) {
      if (receipt.status !== "0x1") throw new Error(`transaction ${hash} reverted`);
      return receipt;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`transaction ${hash} was not mined within 60 s`);
}

/** geth --dev funds only its own dev account: it pays each sender 1000 ETH once. */
async function fundIfNeeded(
  rpc: JsonRpc,
  accounts: readonly PrivateKeyAccount[],
  log: Logger,
): Promise<void> {
  const low: PrivateKeyAccount[] = [];
  for (const a of accounts) {
    const bal = BigInt(await rpc.request<Hex>("eth_getBalance", [a.address, "latest"]));
    if (bal < parseEther("100")) low.push(a);
  }
  if (!low.length) return;
  const [funder] = await rpc.request<Hex[]>("eth_accounts", []);
  if (!funder) {
    throw new Error("the generator's senders hold no ETH and the node has no dev account");
  }
  const hashes: Hex[] = [];
  for (const a of low) {
    hashes.push(
      await rpc.request<Hex>("eth_sendTransaction", [
        { from: funder, to: a.address, value: `0x${parseEther("1000").toString(16)}` },
      ]),
    );
  }
  for (const h of hashes) await minedReceipt(rpc, h);
  log.info(`transaction generator: funded ${low.length} senders from the node's dev account`);
}
