import assert from "node:assert/strict";
import { startAnvil } from "../lib/devnet/anvil.ts";

async function chainId(url: string): Promise<string> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
  });
  return (await res.json()).result;
}

function alive(pid: number): boolean {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}

Deno.test("anvil harness: starts on a loopback port, answers RPC, is stopped for sure", async () => {
  let pid = 0;
  {
    await using node = await startAnvil({ chainId: 1729 });
    pid = node.pid;
    assert.match(node.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(await chainId(node.url), "0x6c1");
  }
  assert.equal(alive(pid), false, `anvil ${pid} still running after dispose`);
});

Deno.test("anvil harness: a bad argument fails fast with anvil's output", async () => {
  await assert.rejects(
    () => startAnvil({ args: ["--no-such-anvil-flag"] }),
    /anvil exited with code \d+ before listening/,
  );
});
