/**
 * The layering rule: the low modules (store, rpc, input, protocol, log, exit) import nothing above
 * them, so they can be read, tested and changed on their own. Fails naming each upward import.
 */
import assert from "node:assert/strict";
import { dirname, join, relative, resolve } from "node:path";

const lib = new URL("../lib/", import.meta.url).pathname;

/** What each low module may import from lib/, besides itself. */
const ALLOWED: Record<string, readonly string[]> = {
  log: [],
  time: [],
  exit: [],
  input: ["log"],
  rpc: ["log"],
  protocol: ["log", "input"],
  store: ["log", "input", "protocol"],
};

async function* tsFiles(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) yield* tsFiles(p);
    else if (e.name.endsWith(".ts")) yield p;
  }
}

Deno.test("layers: store, rpc, input, protocol, log and exit import nothing above them", async () => {
  const upward: string[] = [];
  for (const [module, allowed] of Object.entries(ALLOWED)) {
    for await (const file of tsFiles(join(lib, module))) {
      const text = await Deno.readTextFile(file);
      for (const m of text.matchAll(/(?:from|import)\s*\(?\s*"(\.[^"]+)"/g)) {
        const target = relative(lib, resolve(dirname(file), m[1]));
        const top = target.split("/")[0];
        if (top !== module && !allowed.includes(top)) {
          upward.push(`${relative(lib, file)} imports ${target}`);
        }
      }
    }
  }
  assert.deepEqual(upward, []);
});

Deno.test("layers: the check sees an upward import (it can fail)", () => {
  const m = [
    ...`import { x } from "../server/y.ts";`.matchAll(/(?:from|import)\s*\(?\s*"(\.[^"]+)"/g),
  ];
  const target = relative(lib, resolve(join(lib, "store"), m[0][1]));
  assert.equal(target.split("/")[0], "server");
});
