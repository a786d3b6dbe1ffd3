/**
 * The product's one JSON-RPC client (HTTP, fetch-based): typed single calls and batches, bounded
 * concurrency, retries of transient failures with jittered exponential backoff, a per-call
 * timeout, and counters of what it cost.
 */
import {
  isMethodNotFound,
  redactUrl,
  RpcError,
  RpcTimeoutError,
  RpcTransportError,
} from "./errors.ts";
import { Semaphore } from "./semaphore.ts";

/** One call of a batch. */
export interface RpcCall {
  readonly method: string;
  readonly params: readonly unknown[];
}

/** The outcome of one call of a settled batch. */
export type RpcOutcome<T = unknown> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: RpcError | RpcTransportError };

/** Counters of one method. */
export interface MethodStats {
  calls: number;
  errors: number;
  bytesReceived: number;
}

/** What the client has cost so far. */
export interface RpcStats {
  /** JSON-RPC calls (each item of a batch counts). */
  readonly calls: number;
  /** Batch HTTP requests sent (a batch split into chunks counts each chunk). */
  readonly batches: number;
  /** HTTP requests, retries included. */
  readonly httpRequests: number;
  /** HTTP requests that were retried after a transient failure. */
  readonly retries: number;
  /** Calls that ended in an error (RPC or transport). */
  readonly errors: number;
  readonly bytesSent: number;
  readonly bytesReceived: number;
  /** Sum of the wall time of all HTTP requests (overlapping requests each count). */
  readonly requestMs: number;
  readonly byMethod: Readonly<Record<string, MethodStats>>;
}

/** Options of {@link RpcClient}. */
export interface RpcClientOptions {
  /** Requests in flight at once (HTTP requests; a batch chunk is one). Default 16. */
  readonly concurrency?: number;
  /** Timeout of one HTTP request in ms. Default 60 000. */
  readonly timeoutMs?: number;
  /** Retries of a transient failure (network error, 429, 5xx, timeout). Default 4. */
  readonly retries?: number;
  /** First backoff in ms, doubled on each retry (with jitter). Default 200. */
  readonly backoffMs?: number;
  /** Upper bound of one backoff in ms. Default 5 000. */
  readonly maxBackoffMs?: number;
  /** Largest batch sent in one HTTP request; bigger batches are split. Default 100. */
  readonly maxBatchSize?: number;
  /** Extra HTTP headers (e.g. authorization). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Aborts every request in flight and all later ones. */
  readonly signal?: AbortSignal;
}

interface JsonRpcResponse {
  id?: unknown;
  result?: unknown;
  error?: { code?: unknown; message?: unknown; data?: unknown };
  /** Set here: the server answered the whole batch with this one error. */
  batchRejected?: boolean;
}

// JSON-RPC error codes retried as viem retries them: limit exceeded, rate limited, and the
// internal error that load-balanced providers answer when a backend is briefly gone.
const TRANSIENT_RPC_CODES = new Set([-32005, -32603, 429]);

/** A JSON-RPC client for one HTTP endpoint. */
export class RpcClient {
  /** The endpoint, credentials redacted (for messages and logs). */
  readonly displayUrl: string;
  private sem: Semaphore;
  private parent: RpcClient | undefined;
  private readonly opts: Required<Omit<RpcClientOptions, "signal" | "headers">>;
  private nextId = 1;
  /** The endpoint refused a batch: calls go one by one. */
  private noBatches = false;
  private readonly counters = {
    calls: 0,
    batches: 0,
    httpRequests: 0,
    retries: 0,
    errors: 0,
    bytesSent: 0,
    bytesReceived: 0,
    requestMs: 0,
  };
  private readonly byMethod: Record<string, MethodStats> = {};
  private readonly encoder = new TextEncoder();

  constructor(readonly url: string, private readonly options: RpcClientOptions = {}) {
    this.displayUrl = redactUrl(url);
    this.opts = {
      concurrency: options.concurrency ?? 16,
      timeoutMs: options.timeoutMs ?? 60_000,
      retries: options.retries ?? 4,
      backoffMs: options.backoffMs ?? 200,
      maxBackoffMs: options.maxBackoffMs ?? 5_000,
      maxBatchSize: options.maxBatchSize ?? 100,
    };
    this.sem = new Semaphore(this.opts.concurrency);
  }

  /** Calls `method` with `params`; resolves to its result or throws RpcError/RpcTransportError. */
  async request<T = unknown>(method: string, params: readonly unknown[] = []): Promise<T> {
    const [outcome] = await this.send([{ method, params }], false);
    if (!outcome.ok) throw outcome.error;
    return outcome.value as T;
  }

  /** Sends the calls as JSON-RPC batches; resolves to the results in order, or throws the first error. */
  async batch<T = unknown>(calls: readonly RpcCall[]): Promise<T[]> {
    const outcomes = await this.batchSettled<T>(calls);
    return outcomes.map((o) => {
      if (!o.ok) throw o.error;
      return o.value;
    });
  }

  /** Like {@link batch} but reports each call's outcome instead of throwing. */
  async batchSettled<T = unknown>(calls: readonly RpcCall[]): Promise<RpcOutcome<T>[]> {
    if (calls.length === 0) return [];
    const chunks: RpcCall[][] = [];
    for (let i = 0; i < calls.length; i += this.opts.maxBatchSize) {
      chunks.push(calls.slice(i, i + this.opts.maxBatchSize));
    }
    const results = await Promise.all(chunks.map((c) => this.sendChunk(c)));
    return results.flat() as RpcOutcome<T>[];
  }

  // One chunk as a batch; where the endpoint refuses batches, its calls one by one from then on.
  private async sendChunk(calls: readonly RpcCall[]): Promise<RpcOutcome[]> {
    if (calls.length === 1 || this.noBatches) {
      return (await Promise.all(calls.map((c) => this.send([c], false)))).flat();
    }
    const outcomes = await this.send(calls, true);
    if (!outcomes.every((o) => !o.ok && o.error instanceof RpcError && o.error.batchRejected)) {
      return outcomes;
    }
    this.noBatches = true;
    return (await Promise.all(calls.map((c) => this.send([c], false)))).flat();
  }

  /** Whether `method` exists on the node (a "method not found" error means no). */
  async supports(method: string, params: readonly unknown[]): Promise<boolean> {
    try {
      await this.request(method, params);
      return true;
    } catch (e) {
      if (isMethodNotFound(e)) return false;
      throw e;
    }
  }

  /** A snapshot of the counters. */
  stats(): RpcStats {
    const byMethod: Record<string, MethodStats> = {};
    for (const [m, s] of Object.entries(this.byMethod)) byMethod[m] = { ...s };
    return { ...this.counters, byMethod };
  }

  /**
   * A client for the same endpoint that shares this one's connection limit and options but keeps
   * its own counters (its traffic still adds to this one's): for cost per phase of concurrent work.
   */
  scoped(): RpcClient {
    const child = new RpcClient(this.url, this.options);
    child.sem = this.sem;
    child.parent = this;
    return child;
  }

  private count(field: keyof RpcClient["counters"], n: number): void {
    this.counters[field] += n;
    this.parent?.count(field, n);
  }

  private countMethod(method: string, field: keyof MethodStats, n: number): void {
    (this.byMethod[method] ??= { calls: 0, errors: 0, bytesReceived: 0 })[field] += n;
    this.parent?.countMethod(method, field, n);
  }

  // One batch (or single call); the items a node answered with a transient error (rate limit
  // inside a batch) are sent again, alone, with backoff, while the others keep their answers.
  private async send(calls: readonly RpcCall[], asBatch: boolean): Promise<RpcOutcome[]> {
    const outcomes = await this.sendOnce(calls, asBatch);
    if (!asBatch) return outcomes;
    for (let attempt = 1; attempt <= this.opts.retries; attempt++) {
      const again = outcomes.flatMap((o, i) => (isTransientOutcome(o) ? [i] : []));
      if (again.length === 0) break;
      this.count("retries", again.length);
      await this.backoff(attempt);
      // as a batch even when one is left: a single call would be retried again inside post()
      const retried = await this.sendOnce(again.map((i) => calls[i]), true);
      again.forEach((i, k) => (outcomes[i] = retried[k]));
    }
    return outcomes;
  }

  private async sendOnce(calls: readonly RpcCall[], asBatch: boolean): Promise<RpcOutcome[]> {
    const ids = calls.map(() => this.nextId++);
    const payload = calls.map((c, i) => ({
      jsonrpc: "2.0",
      id: ids[i],
      method: c.method,
      params: c.params,
    }));
    const body = JSON.stringify(asBatch ? payload : payload[0], bigintReplacer);
    const label = asBatch ? `batch of ${calls.length} (${summarize(calls)})` : calls[0].method;
    this.count("calls", calls.length);
    if (asBatch) this.count("batches", 1);
    for (const c of calls) this.countMethod(c.method, "calls", 1);

    let parsed: unknown;
    let received = 0;
    try {
      ({ parsed, received } = await this.sem.run(() => this.post(label, body)));
    } catch (e) {
      this.count("errors", calls.length);
      for (const c of calls) this.countMethod(c.method, "errors", 1);
      const err = e as RpcTransportError;
      return calls.map(() => ({ ok: false, error: err }));
    }
    const perCallBytes = received / calls.length;
    for (const c of calls) this.countMethod(c.method, "bytesReceived", perCallBytes);

    const byId = new Map<unknown, JsonRpcResponse>();
    if (Array.isArray(parsed)) {
      for (const r of parsed as JsonRpcResponse[]) byId.set(r?.id, r);
    } else if (parsed && typeof parsed === "object") {
      const single = parsed as JsonRpcResponse;
      // Some servers answer a whole batch with one error object (e.g. batches disabled).
      if (asBatch && single.error && single.id == null) {
        for (const id of ids) byId.set(id, { ...single, batchRejected: true });
      } else byId.set(asBatch ? single.id : ids[0], single);
    }
    return calls.map((c, i) => {
      const r = byId.get(ids[i]);
      if (!r) {
        this.count("errors", 1);
        this.countMethod(c.method, "errors", 1);
        return {
          ok: false,
          error: new RpcTransportError(
            c.method,
            this.displayUrl,
            "the answer has no response with this call's id",
            200,
            1,
          ),
        };
      }
      if (r.error) {
        this.count("errors", 1);
        this.countMethod(c.method, "errors", 1);
        return {
          ok: false,
          error: new RpcError(
            c.method,
            this.displayUrl,
            typeof r.error.code === "number" ? r.error.code : 0,
            typeof r.error.message === "string" ? r.error.message : JSON.stringify(r.error),
            r.error.data,
            r.batchRejected,
          ),
        };
      }
      return { ok: true, value: r.result };
    });
  }

  // One HTTP POST with retries of transient failures; resolves to the parsed JSON body.
  private async post(label: string, body: string): Promise<{ parsed: unknown; received: number }> {
    const bytes = this.encoder.encode(body);
    let attempt = 0;
    for (;;) {
      attempt++;
      this.options.signal?.throwIfAborted();
      const started = performance.now();
      const timeout = AbortSignal.timeout(this.opts.timeoutMs);
      const signal = this.options.signal
        ? AbortSignal.any([timeout, this.options.signal])
        : timeout;
      this.count("httpRequests", 1);
      this.count("bytesSent", bytes.byteLength);
      let failure: RpcTransportError;
      try {
        const res = await fetch(this.url, {
          method: "POST",
          headers: { "content-type": "application/json", ...this.options.headers },
          body: bytes,
          signal,
        });
        const text = await res.text();
        const received = this.encoder.encode(text).byteLength;
        this.count("bytesReceived", received);
        this.count("requestMs", performance.now() - started);
        const parsed = tryParseJson(text);
        if (res.ok && parsed !== undefined) {
          if (isTransientRpcAnswer(parsed) && attempt <= this.opts.retries) {
            await this.backoff(attempt);
            continue;
          }
          return { parsed, received };
        }
        // Some nodes answer JSON-RPC errors with HTTP 4xx/5xx and a JSON body: keep that answer.
        if (parsed !== undefined && !isRetryableStatus(res.status) && hasRpcShape(parsed)) {
          return { parsed, received };
        }
        failure = new RpcTransportError(
          label,
          this.displayUrl,
          res.ok
            ? `answer is not JSON: ${text.slice(0, 120)}`
            : `HTTP ${res.status} ${res.statusText}`.trim(),
          res.status,
          attempt,
        );
        if (!isRetryableStatus(res.status) || attempt > this.opts.retries) throw failure;
      } catch (e) {
        this.count("requestMs", performance.now() - started);
        if (e instanceof RpcTransportError) throw e;
        if (this.options.signal?.aborted) throw this.options.signal.reason ?? e;
        const timedOut = timeout.aborted;
        failure = timedOut
          ? new RpcTimeoutError(
            label,
            this.displayUrl,
            `no answer within ${this.opts.timeoutMs} ms`,
            undefined,
            attempt,
          )
          : new RpcTransportError(
            label,
            this.displayUrl,
            `network error: ${(e as Error).message}`,
            undefined,
            attempt,
            { cause: e },
          );
        if (attempt > this.opts.retries) throw failure;
      }
      this.count("retries", 1);
      await this.backoff(attempt);
    }
  }

  private async backoff(attempt: number): Promise<void> {
    const base = Math.min(this.opts.maxBackoffMs, this.opts.backoffMs * 2 ** (attempt - 1));
    const delay = base / 2 + Math.random() * (base / 2);
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(resolve, delay);
      this.options.signal?.addEventListener("abort", () => {
        clearTimeout(t);
        reject(this.options.signal!.reason);
      }, { once: true });
    });
  }
}

// HTTP statuses retried as viem retries them (403 and 413 are what some providers answer for
// a momentary quota, not only for a refused request).
function isRetryableStatus(status: number): boolean {
  return status === 403 || status === 408 || status === 413 || status === 429 || status >= 500;
}

function isTransientOutcome(o: RpcOutcome): boolean {
  return !o.ok && o.error instanceof RpcError && !o.error.batchRejected &&
    TRANSIENT_RPC_CODES.has(o.error.code);
}

function hasRpcShape(v: unknown): boolean {
  const one = Array.isArray(v) ? v[0] : v;
  return !!one && typeof one === "object" && ("result" in one || "error" in one);
}

// A rate-limit answer to a single call (some providers send it with HTTP 200).
function isTransientRpcAnswer(v: unknown): boolean {
  if (Array.isArray(v) || !v || typeof v !== "object") return false;
  const code = (v as JsonRpcResponse).error?.code;
  return typeof code === "number" && TRANSIENT_RPC_CODES.has(code);
}

function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function summarize(calls: readonly RpcCall[]): string {
  const counts = new Map<string, number>();
  for (const c of calls) counts.set(c.method, (counts.get(c.method) ?? 0) + 1);
  return [...counts].map(([m, n]) => (n > 1 ? `${m}×${n}` : m)).join(", ");
}

function bigintReplacer(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? `0x${value.toString(16)}` : value;
}
