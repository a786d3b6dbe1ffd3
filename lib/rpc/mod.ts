/** The JSON-RPC client of the product. */
export { RpcClient } from "./client.ts";
export type { MethodStats, RpcCall, RpcClientOptions, RpcOutcome, RpcStats } from "./client.ts";
export {
  isMethodNotFound,
  redactUrl,
  RpcError,
  RpcTimeoutError,
  RpcTransportError,
} from "./errors.ts";
