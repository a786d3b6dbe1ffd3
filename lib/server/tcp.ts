/**
 * The TCP front of the prover server: accepts connections, reads one bounded message each,
 * answers it and closes. Every failure is confined to its connection: it gets an error reply
 * where the peer is still there, and a log line; everyone else keeps being served.
 */
import type { Logger } from "../log/logger.ts";
import { ProtocolError } from "../protocol/errors.ts";
import {
  type ClientMessage,
  decodeMessage,
  encodeMessage,
  type ServerMessage,
} from "../protocol/messages.ts";
import { ConnectionLostError, isDisconnect, readToEnd, writeAll } from "../protocol/transport.ts";

/** Answers one decoded client message. */
export type MessageHandler = (msg: ClientMessage, peer: string) => Promise<ServerMessage>;

/** Listener settings. */
export interface TcpServerOptions {
  readonly hostname: string;
  readonly port: number;
  readonly maxMessageBytes: number;
  readonly readTimeoutMs: number;
  /** Connections served at once; more are answered `server_busy` at once (bounds memory). */
  readonly maxConnections: number;
  /** When set, every message must come wrapped in `Authenticated` with this token. */
  readonly authToken?: string;
  readonly log: Logger;
  /** Called for every error reply (metrics). */
  readonly onError?: (code: string) => void;
}

/** A listening server. */
export interface TcpServer extends AsyncDisposable {
  readonly hostname: string;
  readonly port: number;
  /** Connections being served now (an exchange in progress, or a client that sent nothing yet). */
  readonly openConnections: number;
  /** Stops accepting, waits for open connections to finish. */
  close(): Promise<void>;
}

const CLOSE_GRACE_MS = 2_000;
const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

/** Binds the listener and serves until closed. */
export function serveTcp(opts: TcpServerOptions, handle: MessageHandler): TcpServer {
  let listener: Deno.TcpListener;
  try {
    listener = Deno.listen({ hostname: opts.hostname, port: opts.port, transport: "tcp" });
  } catch (e) {
    throw new Error(
      `cannot listen on ${opts.hostname}:${opts.port}: ${(e as Error).message} ` +
        "(is another prover-server running? pick another --listen-port)",
    );
  }
  const addr = listener.addr as Deno.NetAddr;
  const open = new Set<Promise<void>>();
  const conns = new Set<Deno.TcpConn>();
  const acceptLoop = (async () => {
    for (;;) {
      let conn: Deno.TcpConn;
      try {
        conn = await listener.accept();
      } catch (e) {
        if (e instanceof Deno.errors.BadResource || e instanceof Deno.errors.Interrupted) return;
        opts.log.warn(`accept failed: ${(e as Error).message}`);
        continue;
      }
      if (conns.size >= opts.maxConnections) {
        refuseBusy(conn, opts);
        continue;
      }
      conns.add(conn);
      const p = serveConnection(conn, opts, handle).finally(() => {
        open.delete(p);
        conns.delete(conn);
      });
      open.add(p);
    }
  })();
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    try {
      listener.close();
    } catch { /* already closed */ }
    await acceptLoop;
    // Exchanges in progress get a short grace; a slow or silent client does not hold up a
    // shutdown for the whole read timeout.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise<"late">((r) => (timer = setTimeout(() => r("late"), CLOSE_GRACE_MS)));
    const result = await Promise.race([Promise.allSettled([...open]), grace]);
    clearTimeout(timer);
    if (result === "late") {
      opts.log.info(`closing ${conns.size} connections still open after ${CLOSE_GRACE_MS} ms`);
      for (const c of conns) {
        try {
          c.close();
        } catch { /* already closed */ }
      }
      await Promise.allSettled([...open]);
    }
  };
  return {
    hostname: addr.hostname,
    port: addr.port,
    get openConnections() {
      return conns.size;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

async function serveConnection(
  conn: Deno.TcpConn,
  opts: TcpServerOptions,
  handle: MessageHandler,
): Promise<void> {
  const remote = conn.remoteAddr as Deno.NetAddr;
  const peer = `${remote.hostname}:${remote.port}`;
  try {
    let reply: ServerMessage;
    try {
      const msg = decodeClient(
        await readToEnd(conn, {
          maxBytes: opts.maxMessageBytes,
          timeoutMs: opts.readTimeoutMs,
        }),
        opts.authToken,
      );
      reply = await handle(msg, peer);
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      opts.log.warn(`bad message from ${peer}: ${e.message}`, { peer, reason: e.code });
      opts.onError?.(e.code);
      reply = { kind: "Error", code: e.code, message: e.message };
    }
    await writeAll(conn, encoder.encode(encodeMessage(reply)));
  } catch (e) {
    if (e instanceof ConnectionLostError || isDisconnect(e)) {
      opts.log.info(`client ${peer} disconnected before the exchange finished`, { peer });
    } else {
      opts.log.error(`connection from ${peer} failed: ${(e as Error).message}`, { peer });
      await writeAll(
        conn,
        encoder.encode(encodeMessage({
          kind: "Error",
          code: "internal",
          message: "internal server error; see the server log",
        })),
      ).catch(() => {});
    }
  } finally {
    try {
      conn.close();
    } catch { /* already closed */ }
  }
}

function refuseBusy(conn: Deno.TcpConn, opts: TcpServerOptions): void {
  const message = `server is serving ${opts.maxConnections} connections; retry shortly`;
  opts.onError?.("server_busy");
  opts.log.warn(`refused a connection: ${message} (raise --max-connections if this persists)`);
  writeAll(conn, encoder.encode(encodeMessage({ kind: "Error", code: "server_busy", message })))
    .catch(() => {})
    .finally(() => {
      try {
        conn.close();
      } catch { /* already closed */ }
    });
}

function decodeClient(bytes: Uint8Array, authToken: string | undefined): ClientMessage {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw new ProtocolError("malformed_json", "message is not valid UTF-8");
  }
  const msg = decodeMessage(text);
  if (msg.kind === "Authenticated") {
    if (authToken !== undefined && !sameToken(msg.token, authToken)) {
      throw new ProtocolError("unauthorized", "wrong auth token (check PROVER_SERVER_AUTH_TOKEN)");
    }
    return msg.message;
  }
  if (authToken !== undefined) {
    throw new ProtocolError(
      "unauthorized",
      "this server requires an auth token: wrap the message as " +
        '{"Authenticated":{"token":"…","message":…}} (set PROVER_CLIENT_AUTH_TOKEN)',
    );
  }
  if (msg.kind !== "Request" && msg.kind !== "Submit" && msg.kind !== "ProveFailed") {
    throw new ProtocolError(
      "unexpected_message",
      `a client sends Request, Submit or ProveFailed, not ${msg.kind}`,
    );
  }
  return msg;
}

// Constant-time in the token's length, so response timing does not leak a matching prefix.
function sameToken(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < y.length; i++) diff |= (x[i] ?? 0) ^ y[i];
  return diff === 0;
}
