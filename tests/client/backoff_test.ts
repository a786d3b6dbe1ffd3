/** Backoff delays and the abortable sleep. */
import assert from "node:assert/strict";
import { backoffDelay } from "../../lib/client/backoff.ts";
import { sleep } from "../../lib/time/mod.ts";
import { exchange, ServerUnreachableError } from "../../lib/protocol/transport.ts";

Deno.test("backoff doubles up to its cap, with jitter in the upper half", () => {
  const policy = { baseMs: 500, maxMs: 30_000 };
  assert.equal(backoffDelay(0, policy, () => 0), 250);
  assert.equal(backoffDelay(0, policy, () => 1), 500);
  assert.equal(backoffDelay(3, policy, () => 1), 4_000);
  assert.equal(backoffDelay(20, policy, () => 1), 30_000);
  assert.equal(backoffDelay(1_000, policy, () => 0), 15_000);
});

Deno.test("sleep resolves false at once when aborted", async () => {
  const ctrl = new AbortController();
  const p = sleep(60_000, ctrl.signal);
  ctrl.abort();
  assert.equal(await p, false);
  assert.equal(await sleep(1), true);
});

Deno.test("a server that is not there is reported as unreachable, not as a crash", async () => {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  await assert.rejects(
    exchange({ host: "127.0.0.1", port }, { kind: "Request" }),
    ServerUnreachableError,
  );
});
