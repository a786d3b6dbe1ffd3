import assert from "node:assert/strict";
import { REPO_ROOT } from "../helpers/cli.ts";

Deno.test("contracts: a fresh compile (npm solc, risc0's crate sources) is byte-identical to the committed artifacts", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${REPO_ROOT}contracts/build.ts`, "--check"],
    cwd: REPO_ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  assert.equal(out.code, 0, dec.decode(out.stdout) + dec.decode(out.stderr));
  assert.match(dec.decode(out.stdout), /matches a fresh compile/);
});
