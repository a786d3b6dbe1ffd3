/**
 * A transaction generator for a local anvil L2: value transfers between anvil's unlocked dev
 * accounts and calls to a small counter contract (storage writes), so proved blocks touch
 * accounts, balances, nonces and storage.
 */
import type { Logger } from "../log/logger.ts";
import type { JsonRpc } from "../server/facts.ts";

type Hex = `0x${string}`;

/** Runtime: `slot0 += 1` on every call (PUSH1 0 SLOAD PUSH1 1 ADD PUSH1 0 SSTORE STOP). */
const COUNTER_RUNTIME = "60005460010160005500";
/** Init code returning COUNTER_RUNTIME (PUSH10 runtime, MSTORE at 0, RETURN bytes 22..31). */
export const COUNTER_INITCODE: Hex = `0x69${COUNTER_RUNTIME}600052600a6016f3`;

/** Generator settings. */
export interface TxGenOptions {
  /** Transactions sent per tick. */
  readonly txsPerTick: number;
  /** Time between ticks. */
  readonly tickMs: number;
  readonly log: Logger;
}

/** A running generator. */
export interface TxGen extends AsyncDisposable {
  /** Transactions sent so far. */
  sent(): number;
  /** Stops sending and waits for the current tick to finish. */
  stop(): Promise<void>;
}

/** Deploys the counter and starts sending transactions until stopped. */
export async function startTxGen(rpc: JsonRpc, opts: TxGenOptions): Promise<TxGen> {
  const accounts = await rpc.request<Hex[]>("eth_accounts", []);
  if (accounts.length < 2) {
    throw new Error("the L2 node has fewer than 2 unlocked accounts; the generator needs anvil");
  }
  const deployHash = await rpc.request<Hex>("eth_sendTransaction", [
    { from: accounts[0], data: COUNTER_INITCODE, gas: "0x30000" },
  ]);
  const counter = await waitForContract(rpc, deployHash);
  opts.log.info(`transaction generator: counter contract at ${counter}`, {
    accounts: accounts.length,
  });
  let sent = 0;
  let stopped = false;
  let wake: (() => void) | undefined;
  const loop = (async () => {
    for (let tick = 0; !stopped; tick++) {
      for (let i = 0; i < opts.txsPerTick && !stopped; i++) {
        const from = accounts[(tick * opts.txsPerTick + i) % accounts.length];
        const to = accounts[(tick + i + 1) % accounts.length];
        const tx = i % 3 === 2
          ? { from, to: counter, gas: "0x20000" }
          : { from, to, value: `0x${(1_000_000_000n * BigInt(i + 1)).toString(16)}` };
        try {
          await rpc.request("eth_sendTransaction", [tx]);
          sent++;
        } catch (e) {
          if (!stopped) {
            opts.log.warn(`transaction generator: send failed: ${(e as Error).message}`);
          }
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
  return { sent: () => sent, stop, [Symbol.asyncDispose]: stop };
}

async function waitForContract(rpc: JsonRpc, txHash: Hex): Promise<Hex> {
  for (let i = 0; i < 600; i++) {
    const receipt = await rpc.request<{ contractAddress: Hex | null; status: Hex } | null>(
      "eth_getTransactionReceipt",
      [txHash],
    );
    if (receipt) {
      if (receipt.status !== "0x1" || !receipt.contractAddress) {
        throw new Error(`counter deployment ${txHash} failed`);
      }
      return receipt.contractAddress;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`counter deployment ${txHash} was not mined within 60 s`);
}
