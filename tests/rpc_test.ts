/** The JSON-RPC client against a real anvil, and against tiny local servers for failure modes. */
import assert from "node:assert/strict";
import { startAnvil } from "../lib/devnet/anvil.ts";
import { url } from "../lib/config/parsers.ts";
import {
  isMethodNotFound,
  redactUrl,
  RpcClient,
  RpcError,
  RpcTimeoutError,
  RpcTransportError,
} from "../lib/rpc/mod.ts";

/** A local JSON-RPC server on 127.0.0.1 whose answer per request the test scripts. */
function scriptedServer(
  handler: (req: Request, n: number) => Response | Promise<Response>,
): { url: string; requests: () => number; [Symbol.asyncDispose](): Promise<void> } {
  let n = 0;
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req) => handler(req, n++),
  );
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    requests: () => n,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

const ok = async (req: Request) => {
  const body = await req.json();
  const answer = (c: { id: number }) => ({ jsonrpc: "2.0", id: c.id, result: "0x7a69" });
  return Response.json(Array.isArray(body) ? body.map(answer) : answer(body));
};

Deno.test("request and batch against anvil, with stats", async () => {
  await using anvil = await startAnvil();
  const rpc = new RpcClient(anvil.url);
  assert.equal(await rpc.request<string>("eth_chainId", []), "0x7a69");
  const [chainId, block] = await rpc.batch<string>([
    { method: "eth_chainId", params: [] },
    { method: "eth_blockNumber", params: [] },
  ]);
  assert.equal(chainId, "0x7a69");
  assert.equal(block, "0x0");
  const s = rpc.stats();
  assert.equal(s.calls, 3);
  assert.equal(s.batches, 1);
  assert.equal(s.httpRequests, 2);
  assert.ok(s.bytesSent > 0 && s.bytesReceived > 0);
  assert.equal(s.byMethod.eth_chainId.calls, 2);
});

Deno.test("an RPC error carries method, url and the node's code and message", async () => {
  await using anvil = await startAnvil();
  const rpc = new RpcClient(anvil.url);
  const err = await rpc.request("debug_executionWitness", ["0x0"]).catch((e) => e);
  assert.ok(err instanceof RpcError);
  assert.equal(err.method, "debug_executionWitness");
  assert.equal(err.url, anvil.url);
  assert.equal(err.code, -32601);
  assert.match(
    err.message,
    /debug_executionWitness on http:\/\/127\.0\.0\.1:\d+: RPC error -32601/,
  );
  assert.ok(isMethodNotFound(err));
  assert.equal(await rpc.supports("debug_executionWitness", ["0x0"]), false);
  assert.equal(await rpc.supports("eth_chainId", []), true);

  // in a batch, one failing call does not hide the others' results
  const outcomes = await rpc.batchSettled([
    { method: "eth_chainId", params: [] },
    { method: "no_such_method", params: [] },
  ]);
  assert.deepEqual(outcomes[0], { ok: true, value: "0x7a69" });
  assert.ok(!outcomes[1].ok && outcomes[1].error instanceof RpcError);
  await assert.rejects(
    rpc.batch([{ method: "eth_chainId", params: [] }, { method: "no_such_method", params: [] }]),
    (e: RpcError) => e.method === "no_such_method",
  );
});

Deno.test("big batches are split and answers keep their order", async () => {
  await using anvil = await startAnvil();
  const rpc = new RpcClient(anvil.url, { maxBatchSize: 7 });
  const calls = Array.from({ length: 30 }, (_, i) => ({
    method: "eth_getBalance",
    params: [`0x${(i + 1).toString(16).padStart(40, "0")}`, "latest"],
  }));
  const answers = await rpc.batch<string>(calls);
  assert.equal(answers.length, 30);
  assert.ok(answers.every((a) => a === "0x0"));
  assert.equal(rpc.stats().batches, 5);
});

Deno.test("a 503 and a 429 are retried until the call succeeds", async () => {
  await using srv = scriptedServer((req, n) =>
    n === 0
      ? new Response("busy", { status: 503 })
      : n === 1
      ? new Response("slow down", { status: 429 })
      : ok(req)
  );
  const rpc = new RpcClient(srv.url, { backoffMs: 1 });
  assert.equal(await rpc.request("eth_chainId", []), "0x7a69");
  assert.equal(srv.requests(), 3);
  assert.equal(rpc.stats().retries, 2);
});

Deno.test("403, 413 and a -32603 answer are retried, as viem retries them", async () => {
  await using srv = scriptedServer((req, n) =>
    n === 0
      ? new Response("quota", { status: 403 })
      : n === 1
      ? new Response("too large", { status: 413 })
      : n === 2
      ? Response.json({ jsonrpc: "2.0", id: 0, error: { code: -32603, message: "backend gone" } })
      : ok(req)
  );
  const rpc = new RpcClient(srv.url, { backoffMs: 1 });
  assert.equal(await rpc.request("eth_chainId", []), "0x7a69");
  assert.equal(srv.requests(), 4);
});

Deno.test("a rate-limited item inside a batch is sent again alone; the others keep their answers", async () => {
  const seen: string[][] = [];
  await using srv = scriptedServer(async (req) => {
    const body = await req.json();
    const calls: { id: number; method: string }[] = Array.isArray(body) ? body : [body];
    seen.push(calls.map((c) => c.method));
    const answers = calls.map((c) =>
      c.method === "eth_getProof" && seen.length === 1
        ? { jsonrpc: "2.0", id: c.id, error: { code: 429, message: "rate limited" } }
        : { jsonrpc: "2.0", id: c.id, result: c.method }
    );
    return Response.json(Array.isArray(body) ? answers : answers[0]);
  });
  const rpc = new RpcClient(srv.url, { backoffMs: 1 });
  const out = await rpc.batch<string>([
    { method: "eth_chainId", params: [] },
    { method: "eth_getProof", params: [] },
    { method: "eth_blockNumber", params: [] },
  ]);
  assert.deepEqual(out, ["eth_chainId", "eth_getProof", "eth_blockNumber"]);
  assert.deepEqual(seen, [["eth_chainId", "eth_getProof", "eth_blockNumber"], ["eth_getProof"]]);
  assert.equal(rpc.stats().retries, 1);
});

Deno.test("a batch item that stays rate-limited fails after the retries with its RPC error", async () => {
  await using srv = scriptedServer(async (req) => {
    const body = await req.json();
    const calls: { id: number; method: string }[] = Array.isArray(body) ? body : [body];
    const answers = calls.map((c) =>
      c.method === "eth_getProof"
        ? { jsonrpc: "2.0", id: c.id, error: { code: -32005, message: "limit exceeded" } }
        : { jsonrpc: "2.0", id: c.id, result: "0x1" }
    );
    return Response.json(Array.isArray(body) ? answers : answers[0]);
  });
  const rpc = new RpcClient(srv.url, { backoffMs: 1, retries: 2 });
  const err = await rpc.batch([
    { method: "eth_chainId", params: [] },
    { method: "eth_getProof", params: [] },
  ]).catch((e) => e);
  assert.ok(err instanceof RpcError, String(err));
  assert.equal(err.code, -32005);
  assert.equal(srv.requests(), 1 + 2);
});

Deno.test("persistent 5xx gives up with a transport error naming the method and status", async () => {
  await using srv = scriptedServer(() => new Response("down", { status: 502 }));
  const rpc = new RpcClient(srv.url, { backoffMs: 1, retries: 2 });
  const err = await rpc.request("eth_getProof", []).catch((e) => e);
  assert.ok(err instanceof RpcTransportError);
  assert.equal(err.status, 502);
  assert.equal(err.attempts, 3);
  assert.match(err.message, /eth_getProof on http:\/\/127\.0\.0\.1:\d+: HTTP 502/);
  assert.equal(srv.requests(), 3);
});

Deno.test("a 4xx without a JSON-RPC body is not retried", async () => {
  await using srv = scriptedServer(() => new Response("no", { status: 401 }));
  const rpc = new RpcClient(srv.url, { backoffMs: 1 });
  const err = await rpc.request("eth_chainId", []).catch((e) => e);
  assert.ok(err instanceof RpcTransportError);
  assert.equal(err.status, 401);
  assert.equal(srv.requests(), 1);
});

Deno.test("a call that gets no answer times out (and is retried)", async () => {
  await using srv = scriptedServer((req) => {
    const late = Promise.withResolvers<Response>();
    req.signal.addEventListener("abort", () => late.resolve(new Response("late")));
    return late.promise;
  });
  const rpc = new RpcClient(srv.url, { timeoutMs: 50, retries: 1, backoffMs: 1 });
  const err = await rpc.request("eth_chainId", []).catch((e) => e);
  assert.ok(err instanceof RpcTimeoutError);
  assert.equal(err.attempts, 2);
  assert.match(err.message, /no answer within 50 ms/);
});

Deno.test("a refused connection is a network error after the retries", async () => {
  // a port that was just free: bind, read it, close
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  const rpc = new RpcClient(`http://127.0.0.1:${port}`, { retries: 1, backoffMs: 1 });
  const err = await rpc.request("eth_chainId", []).catch((e) => e);
  assert.ok(err instanceof RpcTransportError);
  assert.match(err.message, /network error/);
  assert.equal(rpc.stats().retries, 1);
});

Deno.test("concurrency is bounded", async () => {
  let inFlight = 0;
  let peak = 0;
  await using srv = scriptedServer(async (req) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    await new Promise((r) => setTimeout(r, 5));
    inFlight--;
    return ok(req);
  });
  const rpc = new RpcClient(srv.url, { concurrency: 3 });
  await Promise.all(Array.from({ length: 12 }, () => rpc.request("eth_chainId", [])));
  assert.equal(srv.requests(), 12);
  assert.ok(peak <= 3, `peak ${peak}`);
});

Deno.test("an abort signal stops calls", async () => {
  const ctl = new AbortController();
  await using srv = scriptedServer(() => new Response("busy", { status: 503 }));
  const rpc = new RpcClient(srv.url, { signal: ctl.signal, backoffMs: 10_000 });
  const pending = rpc.request("eth_chainId", []);
  setTimeout(() => ctl.abort(new Error("stop")), 20);
  await assert.rejects(pending, /stop/);
});

Deno.test("urls are redacted in messages", () => {
  assert.equal(
    redactUrl("https://user:pw@host.example/v2/abcdefghijklmnopqrstuvwxyz?key=1"),
    "https://host.example/v2/***",
  );
  assert.equal(redactUrl("http://127.0.0.1:8545"), "http://127.0.0.1:8545");
});

Deno.test("a scoped client counts its own traffic and adds it to its parent's", async () => {
  await using anvil = await startAnvil();
  const rpc = new RpcClient(anvil.url);
  await rpc.request("eth_chainId", []);
  const phase = rpc.scoped();
  await phase.batch([{ method: "eth_chainId", params: [] }, {
    method: "eth_blockNumber",
    params: [],
  }]);
  assert.equal(phase.stats().calls, 2);
  assert.equal(phase.stats().batches, 1);
  assert.equal(rpc.stats().calls, 3);
  assert.equal(rpc.stats().byMethod.eth_blockNumber.calls, 1);
});

Deno.test("a WebSocket URL is refused where the setting is parsed, with what to use instead", () => {
  for (const raw of ["ws://127.0.0.1:8546", "wss://node.example/rpc"]) {
    assert.throws(
      () => url.parse(raw),
      /WebSocket URL; give the node's http\(s\) JSON-RPC endpoint/,
    );
  }
  assert.equal(url.parse(" http://127.0.0.1:8545 "), "http://127.0.0.1:8545");
  assert.throws(() => url.parse("ftp://x"), /unsupported scheme ftp:/);
});

Deno.test("an endpoint that refuses batches gets the calls one by one", async () => {
  await using srv = scriptedServer(async (req) => {
    const body = await req.json();
    if (Array.isArray(body)) {
      return Response.json({
        jsonrpc: "2.0",
        id: null,
        error: { code: -32600, message: "batch requests are not supported" },
      });
    }
    return Response.json({ jsonrpc: "2.0", id: body.id, result: body.method });
  });
  const rpc = new RpcClient(srv.url);
  const calls = [{ method: "a", params: [] }, { method: "b", params: [] }, {
    method: "c",
    params: [],
  }];
  assert.deepEqual(await rpc.batch(calls), ["a", "b", "c"]);
  const before = srv.requests();
  assert.deepEqual(await rpc.batch(calls), ["a", "b", "c"]);
  assert.equal(srv.requests() - before, 3, "no second batch attempt");
});
