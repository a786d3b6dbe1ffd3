/** Serves `/metrics` (Prometheus text) and `/status` (JSON) on their own port. */
import type { Logger } from "../log/logger.ts";
import type { Registry } from "./registry.ts";

/** A running metrics endpoint. */
export interface MetricsServer extends AsyncDisposable {
  readonly port: number;
  /** Stops serving. */
  close(): Promise<void>;
}

/** Starts the HTTP endpoint on `hostname:port` (port 0: any free port). */
export function serveMetrics(opts: {
  readonly hostname: string;
  readonly port: number;
  readonly registry: Registry;
  readonly status: () => unknown;
  readonly log: Logger;
}): Promise<MetricsServer> {
  return new Promise((resolve, reject) => {
    try {
      const server = Deno.serve({
        hostname: opts.hostname,
        port: opts.port,
        onListen: ({ port }) => {
          const close = () => server.shutdown();
          resolve({ port, close, [Symbol.asyncDispose]: close });
        },
        onError: (e) => {
          opts.log.warn(`metrics request failed: ${(e as Error).message}`);
          return new Response("internal error\n", { status: 500 });
        },
      }, (req) => {
        const path = new URL(req.url).pathname;
        if (path === "/metrics") {
          return new Response(opts.registry.render(), {
            headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" },
          });
        }
        if (path === "/status") {
          return new Response(JSON.stringify(opts.status(), null, 2) + "\n", {
            headers: { "content-type": "application/json" },
          });
        }
        return new Response("not found: try /metrics or /status\n", { status: 404 });
      });
    } catch (e) {
      reject(
        new Error(
          `cannot serve metrics on ${opts.hostname}:${opts.port}: ${(e as Error).message} ` +
            "(pick another --metrics-port)",
        ),
      );
    }
  });
}
