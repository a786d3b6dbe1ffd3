/** Cost and size figures of one witness build. */
import type { RpcClient, RpcStats } from "../rpc/client.ts";

/** RPC traffic and wall time of one phase. */
export interface PhaseStats {
  ms: number;
  calls: number;
  httpRequests: number;
  bytesSent: number;
  bytesReceived: number;
}

/** What building one prover input cost and produced. */
export interface WitnessStats {
  readonly blockNumber: string;
  /** `debug_executionWitness` (the node's own witness) or `proofs` (eth_getProof and traces). */
  source: "debug_executionWitness" | "proofs";
  /** The node's web3_clientVersion. */
  client: string;
  /** Quirks the input asks the executor for. */
  quirks: string[];
  fork: string;
  forkSource: string;
  forkNote?: string;
  txs: number;
  gasUsed: number;
  /** Where the block RLP came from. */
  blockSource: "debug_getRawBlock" | "encoded";
  phases: Record<string, PhaseStats>;
  totalMs: number;
  rpc: Omit<RpcStats, "byMethod" | "requestMs">;
  witness: {
    stateNodes: number;
    codes: number;
    keys: number;
    headers: number;
    /** Bytes of the nodes, codes and headers (binary, not hex). */
    stateBytes: number;
    codeBytes: number;
    headerBytes: number;
    blockBytes: number;
    /** Size of the whole input JSON. */
    jsonBytes: number;
  };
  touched: { accounts: number; slots: number };
  deletions: { accounts: number; slots: number };
  collapse: { needed: number; fromPostState: number; fromSearch: number; unresolved: number };
  ancestors: { mode: string; tracedTxs: number };
}

/** Times phases and attributes RPC traffic to them. */
export class PhaseClock {
  readonly phases: Record<string, PhaseStats> = {};
  private readonly started = performance.now();
  private readonly initial: RpcStats;

  constructor(private readonly rpc: RpcClient) {
    this.initial = rpc.stats();
  }

  /**
   * Runs `fn` as phase `name` with its own view of the client, so phases may overlap and still
   * each report their own RPC traffic.
   */
  async phase<T>(name: string, fn: (rpc: RpcClient) => Promise<T>): Promise<T> {
    const scoped = this.rpc.scoped();
    const t0 = performance.now();
    try {
      return await fn(scoped);
    } finally {
      const s = scoped.stats();
      const prev = this.phases[name];
      this.phases[name] = {
        ms: (prev?.ms ?? 0) + performance.now() - t0,
        calls: (prev?.calls ?? 0) + s.calls,
        httpRequests: (prev?.httpRequests ?? 0) + s.httpRequests,
        bytesSent: (prev?.bytesSent ?? 0) + s.bytesSent,
        bytesReceived: (prev?.bytesReceived ?? 0) + s.bytesReceived,
      };
    }
  }

  /** Milliseconds since the clock started. */
  elapsed(): number {
    return performance.now() - this.started;
  }

  /** RPC traffic since the clock started. */
  rpcDelta(): WitnessStats["rpc"] {
    const now = this.rpc.stats();
    return {
      calls: now.calls - this.initial.calls,
      batches: now.batches - this.initial.batches,
      httpRequests: now.httpRequests - this.initial.httpRequests,
      retries: now.retries - this.initial.retries,
      errors: now.errors - this.initial.errors,
      bytesSent: now.bytesSent - this.initial.bytesSent,
      bytesReceived: now.bytesReceived - this.initial.bytesReceived,
    };
  }
}
