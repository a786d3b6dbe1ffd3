/**
 * The image id the exec backend's claim names, and `deploy` registers: the built settlement
 * guest's (zkvm/guest/out/image-id.txt), else the zero id. One resolution for the driver and for
 * deploy, so that a local OnChainProposer accepts what the local provers make.
 */
import { fileURLToPath } from "node:url";
import type { Hex } from "viem";

/** `0x00…00`: the id exec results name when no guest is built. */
export const ZERO_IMAGE_ID: Hex = `0x${"00".repeat(32)}`;

const GUEST_OUT = fileURLToPath(new URL("../../zkvm/guest/out/", import.meta.url));

/**
 * The image id of this checkout's built guest (`dev`: the dev guest's, image-id-dev.txt, for
 * inputs with quirks), or {@link ZERO_IMAGE_ID} when it is not built. A file that holds no
 * 32-byte id is an error naming the file.
 */
export function resolveImageId(opts: { dev?: boolean; guestOut?: string } = {}): Hex {
  const path = `${opts.guestOut ?? GUEST_OUT}${opts.dev ? "image-id-dev.txt" : "image-id.txt"}`;
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return ZERO_IMAGE_ID;
    throw new Error(`cannot read the guest image id ${path}: ${(e as Error).message}`);
  }
  const id = text.trim().toLowerCase();
  if (!/^0x[0-9a-f]{64}$/.test(id)) {
    throw new Error(
      `${path} holds '${id.slice(0, 70)}', not a 32-byte 0x id; rebuild with make guest`,
    );
  }
  return id as Hex;
}
