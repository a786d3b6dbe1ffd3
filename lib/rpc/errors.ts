/** Errors of the JSON-RPC client: each names the method, the endpoint and what went wrong. */

/** Hides credentials in an endpoint URL (user info, query, long path tokens such as API keys). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    u.search = "";
    u.pathname = u.pathname.split("/").map((p) => (/^[A-Za-z0-9_-]{20,}$/.test(p) ? "***" : p))
      .join("/");
    return u.toString().replace(/\/$/, "");
  } catch {
    return "<bad url>";
  }
}

/** The node answered with a JSON-RPC error object. */
export class RpcError extends Error {
  override name = "RpcError";
  constructor(
    /** The JSON-RPC method that failed. */
    readonly method: string,
    /** The endpoint, credentials redacted. */
    readonly url: string,
    /** The JSON-RPC error code. */
    readonly code: number,
    /** The node's error message. */
    readonly rpcMessage: string,
    /** The node's optional error data. */
    readonly data?: unknown,
    /** The error answered a whole batch (the endpoint may not take batches). */
    readonly batchRejected = false,
  ) {
    super(`${method} on ${url}: RPC error ${code}: ${rpcMessage}`);
  }
}

/** The request did not get a usable JSON-RPC answer (network, HTTP status, bad body, timeout). */
export class RpcTransportError extends Error {
  override name = "RpcTransportError";
  constructor(
    readonly method: string,
    readonly url: string,
    /** What happened, e.g. "HTTP 503" or "connection refused". */
    readonly problem: string,
    /** HTTP status when the server answered. */
    readonly status: number | undefined,
    /** How many attempts were made, retries included. */
    readonly attempts: number,
    options?: ErrorOptions,
  ) {
    super(
      `${method} on ${url}: ${problem} (after ${attempts} attempt${attempts === 1 ? "" : "s"}; ` +
        `check that the node is up and the RPC URL is right)`,
      options,
    );
  }
}

/** A call did not finish within its timeout. */
export class RpcTimeoutError extends RpcTransportError {
  override name = "RpcTimeoutError";
}

/** True when the node does not implement the method (so a fallback should be used). */
export function isMethodNotFound(e: unknown): boolean {
  if (!(e instanceof RpcError)) return false;
  if (e.code === -32601) return true;
  return /method not found|not supported|does not exist|not available|unknown method|unsupported method/i
    .test(e.rpcMessage);
}
