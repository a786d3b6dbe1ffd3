/**
 * The product's one L1 client (viem): reads, eth_call pre-checks, and transactions with EIP-1559
 * fees, nonces, a fee bump for a transaction that stays unmined, and confirmations. A transaction
 * is signed first and handed to a hook before it is broadcast, so a caller can record it durably
 * (the settlement journal) and a restart finds it instead of sending a second one.
 */
import {
  type Address,
  type Chain,
  createPublicClient,
  defineChain,
  type Hex,
  http,
  keccak256,
  type PublicClient,
  type TransactionReceipt,
  TransactionReceiptNotFoundError,
} from "viem";
import { type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import type { Logger } from "../log/logger.ts";
import { redactUrl } from "../rpc/errors.ts";
import { ContractRevertError, decodeRevertData, revertDataOf } from "./errors.ts";

/** Milliseconds since the epoch; `Date.now` in production. */
import { type Clock, sleep } from "../time/mod.ts";
export type { Clock };

/** A transaction to send: a call (`to` set) or a deployment (`to` unset, `data` = initcode). */
export interface TxRequest {
  readonly to?: Address;
  readonly data: Hex;
  /** What it does, for logs and errors, e.g. "verifyBatches(3..5)". */
  readonly label: string;
  /** Gas limit; estimated (plus 20 %) when unset. */
  readonly gas?: bigint;
}

/** A signed transaction: what is recorded before it is broadcast. */
export interface SignedTx {
  readonly hash: Hex;
  readonly nonce: number;
  readonly raw: Hex;
  readonly maxFeePerGas: bigint;
  readonly maxPriorityFeePerGas: bigint;
  readonly gas: bigint;
}

/** Called with each signed transaction (first send and every fee bump) before it is broadcast. */
export type BeforeBroadcast = (tx: SignedTx) => Promise<void>;

/** Options of {@link L1Client.connect}. */
export interface L1ClientOptions {
  readonly url: string;
  /** The sending account's key; without it the client only reads. Never logged. */
  readonly privateKey?: Hex;
  /** Blocks on top of the one including a transaction before it counts (1: included). */
  readonly confirmations?: number;
  /** How often receipts are polled. */
  readonly pollMs?: number;
  /** A transaction unmined this long is re-sent with higher fees (same nonce). */
  readonly bumpAfterMs?: number;
  /** Fee bumps before giving up on a transaction. */
  readonly maxBumps?: number;
  /** Upper bound of maxFeePerGas in wei; a bump never goes above it. */
  readonly maxFeePerGasCap?: bigint;
  readonly clock?: Clock;
  readonly log: Logger;
}

const BUMP_NUM = 5n; // ×1.25: above the 10 % replacement minimum of geth and reth
const BUMP_DEN = 4n;

/** An L1 node plus, when a key is given, the account that sends. */
export class L1Client {
  private nextNonce: number | undefined;

  private constructor(
    /** viem's public client, for reads. */
    readonly pub: PublicClient,
    readonly chainId: number,
    private readonly account: PrivateKeyAccount | undefined,
    private readonly opts: L1ClientOptions,
    /** The endpoint, credentials redacted. */
    readonly displayUrl: string,
  ) {}

  /** Connects to `opts.url` and reads its chain id. */
  static async connect(opts: L1ClientOptions): Promise<L1Client> {
    const displayUrl = redactUrl(opts.url);
    const probe = createPublicClient({ transport: http(opts.url, { retryCount: 3 }) });
    let chainId: number;
    try {
      chainId = await probe.getChainId();
    } catch (e) {
      throw new Error(
        `cannot reach L1 at ${displayUrl}: ${shortMessage(e)}; check ETH_RPC_URL (--l1-rpc)`,
      );
    }
    const chain: Chain = defineChain({
      id: chainId,
      name: `chain ${chainId}`,
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [opts.url] } },
    });
    const pub = createPublicClient({
      chain,
      transport: http(opts.url, { retryCount: 3 }),
      cacheTime: 0, // a confirmation count needs the head as it is now
    });
    const account = opts.privateKey ? privateKeyToAccount(opts.privateKey) : undefined;
    return new L1Client(pub as PublicClient, chainId, account, opts, displayUrl);
  }

  /** The sending account's address (undefined for a read-only client). */
  get address(): Address | undefined {
    return this.account?.address;
  }

  /** eth_call of `data` on `to` from this account; throws ContractRevertError with the decoded reason. */
  async call(to: Address, data: Hex, label: string): Promise<Hex> {
    try {
      const r = await this.pub.call({ to, data, account: this.account?.address });
      return r.data ?? "0x";
    } catch (e) {
      throw this.revertOr(e, label);
    }
  }

  /** Signs `req` with fresh fees and the next nonce (estimating gas, which fails on a revert). */
  async sign(req: TxRequest, nonce?: number): Promise<SignedTx> {
    const account = this.needAccount(req.label);
    let gas = req.gas;
    if (gas === undefined) {
      try {
        const est = await this.pub.estimateGas({ account, to: req.to, data: req.data });
        gas = est + est / 5n;
      } catch (e) {
        throw this.revertOr(e, req.label);
      }
    }
    const fees = await this.fees();
    return await this.signWith(req, nonce ?? await this.takeNonce(), gas, fees);
  }

  /**
   * Sends `req` and waits for its confirmations: signs, hands the signed transaction to
   * `before` (record it), broadcasts, bumps the fee while unmined. Throws ContractRevertError
   * when it reverts (before sending, from the gas estimate, or on chain).
   */
  async send(
    req: TxRequest,
    before?: BeforeBroadcast,
    signal?: AbortSignal,
  ): Promise<TransactionReceipt> {
    const tx = await this.sign(req);
    try {
      await before?.(tx);
      await this.broadcast(tx, req.label);
    } catch (e) {
      this.nextNonce = undefined; // never sent: the nonce is free again
      throw e;
    }
    return await this.waitFor(req, [tx], before, signal);
  }

  /**
   * Waits until one of `txs` (the same nonce, successive fees) is confirmed, re-broadcasting and
   * bumping as needed: also how a restarted process resumes a transaction it recorded.
   */
  async waitFor(
    req: TxRequest,
    txs: readonly SignedTx[],
    before?: BeforeBroadcast,
    signal?: AbortSignal,
  ): Promise<TransactionReceipt> {
    const clock = this.opts.clock ?? Date.now;
    const pollMs = this.opts.pollMs ?? 1000;
    const bumpAfter = this.opts.bumpAfterMs ?? 60_000;
    const all = [...txs];
    let lastSent = clock();
    let bumps = 0;
    const log = this.opts.log;
    for (;;) {
      signal?.throwIfAborted();
      for (const tx of all) {
        const receipt = await this.receiptOrNull(tx.hash);
        if (receipt) return await this.confirm(req, receipt);
      }
      const mined = await this.pub.getTransactionCount({
        address: this.needAccount(req.label).address,
        blockTag: "latest",
      });
      if (mined > all[0].nonce) {
        // The nonce was used, but none of our hashes has a receipt yet: a node lagging behind
        // its own nonce, or a transaction sent from this account by someone else. Look again.
        await sleep(pollMs);
        for (const tx of all) {
          const receipt = await this.receiptOrNull(tx.hash);
          if (receipt) return await this.confirm(req, receipt);
        }
        throw new Error(
          `${req.label}: nonce ${
            all[0].nonce
          } of ${this.address} was used by another transaction; ` +
            "is another process sending from this account?",
        );
      }
      if (clock() - lastSent >= bumpAfter) {
        if (bumps >= (this.opts.maxBumps ?? 5)) {
          throw new Error(
            `${req.label}: not mined after ${bumps} fee bumps (nonce ${all[0].nonce}); ` +
              "check the L1 node and the account's balance",
          );
        }
        const prev = all[all.length - 1];
        const fees = await this.fees();
        const bumped = {
          maxFeePerGas: max(fees.maxFeePerGas, (prev.maxFeePerGas * BUMP_NUM) / BUMP_DEN + 1n),
          maxPriorityFeePerGas: max(
            fees.maxPriorityFeePerGas,
            (prev.maxPriorityFeePerGas * BUMP_NUM) / BUMP_DEN + 1n,
          ),
        };
        const cap = this.opts.maxFeePerGasCap;
        if (cap !== undefined && bumped.maxFeePerGas > cap) bumped.maxFeePerGas = cap;
        if (bumped.maxPriorityFeePerGas > bumped.maxFeePerGas) {
          bumped.maxPriorityFeePerGas = bumped.maxFeePerGas;
        }
        if (bumped.maxFeePerGas > prev.maxFeePerGas) {
          const tx = await this.signWith(req, prev.nonce, prev.gas, bumped);
          await before?.(tx);
          bumps++;
          log.warn(
            `${req.label}: unmined after ${Math.round((clock() - lastSent) / 1000)} s; ` +
              `fee bumped to ${tx.maxFeePerGas} wei/gas`,
            { nonce: tx.nonce, hash: tx.hash },
          );
          await this.broadcast(tx, req.label);
          all.push(tx);
        } else {
          for (const tx of all) await this.broadcast(tx, req.label).catch(() => {});
        }
        lastSent = clock();
      }
      await sleep(pollMs);
    }
  }

  /** Broadcasts a signed transaction; "already known" counts as sent. */
  async broadcast(tx: SignedTx, label: string): Promise<void> {
    try {
      await this.pub.request({ method: "eth_sendRawTransaction", params: [tx.raw] });
    } catch (e) {
      const msg = shortMessage(e);
      if (/already known|already imported|known transaction|nonce too low/i.test(msg)) return;
      throw new Error(`${label}: L1 refused the transaction: ${msg}`, { cause: e });
    }
  }

  private async confirm(req: TxRequest, receipt: TransactionReceipt): Promise<TransactionReceipt> {
    const need = BigInt(Math.max(1, this.opts.confirmations ?? 1));
    for (;;) {
      const head = await this.pub.getBlockNumber();
      if (head - receipt.blockNumber + 1n >= need) break;
      await sleep(this.opts.pollMs ?? 1000);
    }
    // A reorg may have moved or dropped it: the receipt at the depth reached is the one that counts.
    const final = await this.pub.getTransactionReceipt({ hash: receipt.transactionHash });
    if (final.status === "reverted") {
      const tx = await this.pub.getTransaction({ hash: final.transactionHash });
      let revert = decodeRevertData("0x");
      try {
        await this.pub.call({
          account: tx.from,
          to: tx.to ?? undefined,
          data: tx.input,
          gas: tx.gas,
          blockNumber: final.blockNumber - 1n,
        });
      } catch (e) {
        const data = revertDataOf(e);
        if (data) revert = decodeRevertData(data);
      }
      throw new ContractRevertError(`${req.label} (tx ${final.transactionHash})`, revert);
    }
    return final;
  }

  private async fees(): Promise<{ maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }> {
    const f = await this.pub.estimateFeesPerGas({ type: "eip1559", chain: null });
    let maxFeePerGas = f.maxFeePerGas;
    const cap = this.opts.maxFeePerGasCap;
    if (cap !== undefined && maxFeePerGas > cap) maxFeePerGas = cap;
    return { maxFeePerGas, maxPriorityFeePerGas: min(f.maxPriorityFeePerGas, maxFeePerGas) };
  }

  private async takeNonce(): Promise<number> {
    const pending = await this.pub.getTransactionCount({
      address: this.account!.address,
      blockTag: "pending",
    });
    const n = Math.max(pending, this.nextNonce ?? 0);
    this.nextNonce = n + 1;
    return n;
  }

  private async signWith(
    req: TxRequest,
    nonce: number,
    gas: bigint,
    fees: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint },
  ): Promise<SignedTx> {
    const raw = await this.needAccount(req.label).signTransaction({
      chainId: this.chainId,
      type: "eip1559",
      nonce,
      to: req.to ?? null,
      data: req.data,
      gas,
      value: 0n,
      ...fees,
    });
    return { hash: keccak256(raw), nonce, raw, gas, ...fees };
  }

  /**
   * The receipt of `hash`, or null while it has none. Only "not found" means none: an L1 that
   * does not answer throws, so a lost connection is not taken for a transaction that vanished.
   */
  private async receiptOrNull(hash: Hex) {
    try {
      return await this.pub.getTransactionReceipt({ hash });
    } catch (e) {
      if (e instanceof TransactionReceiptNotFoundError) return null;
      throw e;
    }
  }

  private needAccount(label: string): PrivateKeyAccount {
    if (!this.account) throw new Error(`${label}: this L1 client has no key to send with`);
    return this.account;
  }

  private revertOr(e: unknown, label: string): Error {
    const data = revertDataOf(e);
    if (data !== undefined) {
      return new ContractRevertError(label, decodeRevertData(data), { cause: e });
    }
    return new Error(`${label} on ${this.displayUrl}: ${shortMessage(e)}`, { cause: e });
  }
}

/** A viem error's short message (its first line), or the message of any other error. */
export function shortMessage(e: unknown): string {
  const s = (e as { shortMessage?: string }).shortMessage ?? (e as Error).message ?? String(e);
  return s.split("\n")[0];
}

function max(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
