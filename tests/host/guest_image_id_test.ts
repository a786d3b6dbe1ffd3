/**
 * The image id a deployment registers and exec claims name comes from the host in use: its own
 * guest's where it has the risc0 backend (a host in a release folder or at ZKVM_HOST_BIN), else
 * the checkout's built guest (or zero). A mismatch made every risc0 dev-mode seal fail on L1.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { guestImageId } from "../../lib/host/info.ts";
import { resolveImageId } from "../../lib/host/image_id.ts";

async function fakeHost(info: unknown): Promise<string> {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "zkvm-host");
  await Deno.writeTextFile(path, `#!/bin/sh\necho '${JSON.stringify(info)}'\n`);
  await Deno.chmod(path, 0o755);
  return path;
}

Deno.test("guest image id: a risc0 host's own guest and dev guest", async () => {
  const guest = `0x${"ab".repeat(32)}`, dev = `0x${"CD".repeat(32)}`;
  const bin = await fakeHost({
    version: "0.1.0",
    features: ["exec", "risc0"],
    guest: { imageId: guest, path: "/x/guest.bin" },
    devGuest: { imageId: dev, path: "/x/guest-dev.bin" },
  });
  assert.equal(await guestImageId(bin, false), guest);
  assert.equal(await guestImageId(bin, true), dev.toLowerCase());
});

Deno.test("guest image id: an exec-only host falls back to the checkout's built guest (or zero)", async () => {
  const bin = await fakeHost({ version: "0.1.0", features: ["exec"], guest: null, devGuest: null });
  assert.equal(await guestImageId(bin, false), resolveImageId({ dev: false }));
  assert.equal(await guestImageId(bin, true), resolveImageId({ dev: true }));
  assert.equal(await guestImageId("/nonexistent/zkvm-host", true), resolveImageId({ dev: true }));
});
