/**
 * One request, one response per TCP connection (DESIGN §4): the client writes its message and
 * shuts down its write half; the server reads to end-of-stream, answers and closes. Both sides
 * bound what they read by size and time, so a broken or hostile peer costs one connection only.
 */
import { ProtocolError } from "./errors.ts";
import {
  type ClientMessage,
  decodeMessage,
  encodeMessage,
  type ProofData,
  type ServerMessage,
} from "./messages.ts";

/** Bounds on reading one message. */
export interface ReadLimits {
  /** Largest message accepted, in bytes. */
  readonly maxBytes: number;
  /** Deadline for the whole message, from the first read (a trickling peer cannot hold it open). */
  readonly timeoutMs: number;
}

/** The peer went away mid-message (reset, broken pipe): nobody is left to answer. */
export class ConnectionLostError extends Error {
  override name = "ConnectionLostError";
}

const CHUNK = 256 * 1024;

/**
 * Reads bytes until the peer shuts down its write half. Throws ProtocolError `too_large` or
 * `read_timeout`, or ConnectionLostError. On `too_large` the rest is drained (until the deadline)
 * so the peer can still read the error reply instead of a reset.
 */
export async function readToEnd(conn: Deno.Conn, limits: ReadLimits): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let tooLarge = false;
  const deadline = Date.now() + limits.timeoutMs;
  const buf = new Uint8Array(CHUNK);
  for (;;) {
    const left = deadline - Date.now();
    const n = left <= 0 ? "timeout" : await readWithTimeout(conn, buf, left);
    if (n === "timeout") {
      if (tooLarge) break;
      throw new ProtocolError(
        "read_timeout",
        `no complete message within ${limits.timeoutMs} ms (${total} bytes read); ` +
          "a client ends its message by shutting down its write half",
      );
    }
    if (n === null) break;
    if (tooLarge) continue;
    total += n;
    if (total > limits.maxBytes) {
      tooLarge = true;
      chunks.length = 0;
      continue;
    }
    chunks.push(buf.slice(0, n));
  }
  if (tooLarge) {
    throw new ProtocolError(
      "too_large",
      `message exceeds the limit of ${limits.maxBytes} bytes (raise --max-message-size if this is a real input)`,
    );
  }
  return concat(chunks, total);
}

async function readWithTimeout(
  conn: Deno.Conn,
  buf: Uint8Array,
  ms: number,
): Promise<number | null | "timeout"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const read = conn.read(buf).catch((e: unknown) => {
    if (isDisconnect(e)) {
      throw new ConnectionLostError(`peer disconnected: ${(e as Error).message}`);
    }
    throw e;
  });
  try {
    return await Promise.race([
      read,
      new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), ms))),
    ]);
  } finally {
    clearTimeout(timer);
    // A read abandoned on timeout rejects once the connection closes; nobody awaits it.
    read.catch(() => {});
  }
}

/** True for errors that mean the peer is gone (as opposed to a bug). */
export function isDisconnect(e: unknown): boolean {
  return e instanceof Deno.errors.ConnectionReset || e instanceof Deno.errors.BrokenPipe ||
    e instanceof Deno.errors.ConnectionAborted || e instanceof Deno.errors.BadResource ||
    e instanceof Deno.errors.NotConnected || e instanceof Deno.errors.Interrupted;
}

/** Writes every byte (Deno's write may be partial). */
export async function writeAll(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  let off = 0;
  while (off < bytes.length) off += await conn.write(bytes.subarray(off));
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

/** Where a client finds the server. */
export interface ServerAddress {
  readonly host: string;
  readonly port: number;
}

/** Options of one client exchange. */
export interface ExchangeOptions {
  /** Server token, when the server requires one (wraps the message in `Authenticated`). */
  readonly authToken?: string;
  /** Bound on the reply (a Response carries a whole block input). */
  readonly maxReplyBytes?: number;
  /** Deadline for send + reply, once connected (default 120 s). */
  readonly timeoutMs?: number;
  /** Deadline for the connection itself, DNS lookup included (default 10 s). */
  readonly connectTimeoutMs?: number;
  /** Abandons the exchange at once (the connection is closed); it throws the signal's reason. */
  readonly signal?: AbortSignal;
}

/** Server could not be reached at all (refused, unreachable, unknown name): worth waiting for. */
export class ServerUnreachableError extends Error {
  override name = "ServerUnreachableError";
}

/** The server took the message but did not answer within the exchange's deadline. */
export class ExchangeTimeoutError extends Error {
  override name = "ExchangeTimeoutError";
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Names why a connect failed; a failed name lookup is said to be one (it is not a network fault). */
export function describeConnectError(host: string, e: unknown): string {
  const msg = (e as Error).message ?? String(e);
  if (/lookup address|name or service not known|nodename nor servname|no such host/i.test(msg)) {
    return `DNS lookup of '${host}' failed (${msg}): check the host name`;
  }
  return msg;
}

/** Sends one client message and returns the server's decoded answer. */
export async function exchange(
  addr: ServerAddress,
  msg: ClientMessage,
  opts: ExchangeOptions = {},
): Promise<ServerMessage> {
  opts.signal?.throwIfAborted();
  const wire: ProofData = opts.authToken === undefined
    ? msg
    : { kind: "Authenticated", token: opts.authToken, message: msg };
  const where = `${addr.host}:${addr.port}`;
  const connectMs = opts.connectTimeoutMs ?? 10_000;
  let abandoned = false;
  const connecting = Deno.connect({ hostname: addr.host, port: addr.port, transport: "tcp" });
  // A connect abandoned by timeout or abort may still succeed later: close what it opens.
  connecting.then((c) => abandoned && c.close(), () => {});
  let conn: Deno.TcpConn;
  try {
    conn = await raceDeadline(connecting, connectMs, opts.signal, () =>
      new ServerUnreachableError(
        `cannot connect to prover server ${where}: no connection within ${connectMs} ms`,
      ));
  } catch (e) {
    abandoned = true;
    if (e instanceof ServerUnreachableError || opts.signal?.aborted) throw e;
    throw new ServerUnreachableError(
      `cannot connect to prover server ${where}: ${describeConnectError(addr.host, e)}`,
    );
  }
  const onAbort = () => {
    try {
      conn.close();
    } catch { /* already closed */ }
  };
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  const timeoutMs = opts.timeoutMs ?? 120_000;
  try {
    await writeAll(conn, encoder.encode(encodeMessage(wire))).catch((e) => {
      // The server may answer (e.g. too_large) and stop reading before we finish writing.
      if (!isDisconnect(e)) throw e;
    });
    await conn.closeWrite().catch(() => {});
    let bytes: Uint8Array;
    try {
      bytes = await readToEnd(conn, {
        maxBytes: opts.maxReplyBytes ?? 1024 ** 3,
        timeoutMs,
      });
    } catch (e) {
      if (e instanceof ProtocolError && e.code === "read_timeout") {
        throw new ExchangeTimeoutError(
          `prover server ${where} took the message but sent no answer within ${timeoutMs} ms`,
        );
      }
      throw e;
    }
    opts.signal?.throwIfAborted();
    if (bytes.length === 0) {
      throw new ConnectionLostError(
        `prover server ${where} closed the connection without an answer`,
      );
    }
    const reply = decodeMessage(decoder.decode(bytes));
    if (
      reply.kind !== "Response" && reply.kind !== "SubmitAck" && reply.kind !== "Error" &&
      reply.kind !== "FailureAck"
    ) {
      throw new ProtocolError("unexpected_message", `server answered with ${reply.kind}`);
    }
    return reply;
  } catch (e) {
    // A read cut short by the abort surfaces as a disconnect: report the abort instead.
    opts.signal?.throwIfAborted();
    throw e;
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
    onAbort();
  }
}

/** Resolves like `p`, or rejects with `onTimeout()` after `ms`, or with the signal's reason. */
function raceDeadline<T>(
  p: Promise<T>,
  ms: number,
  signal: AbortSignal | undefined,
  onTimeout: () => Error,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => finish(() => reject(onTimeout())), ms);
    const onAbort = () => finish(() => reject(signal?.reason));
    const finish = (f: () => void) => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      f();
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    p.then((v) => finish(() => resolve(v)), (e) => finish(() => reject(e)));
  });
}
