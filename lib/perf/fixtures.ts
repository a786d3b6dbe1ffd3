/** Fixture blocks for the benchmarks: saved prover inputs (one block or a batch), one JSON file each. */
import { basename, join } from "node:path";
import { parseAnyInput } from "../input/mod.ts";
import type { AnyInput } from "../input/mod.ts";

/** One fixture: its name (file name without .json) and the input. */
export interface Fixture {
  readonly name: string;
  readonly path: string;
  readonly input: AnyInput;
  /** Size of the JSON file in bytes. */
  readonly bytes: number;
}

/** Loads every `*.json` but `index.json` in `dir` (sorted by name), or only those whose name matches `only`. */
export async function loadFixtures(dir: string, only?: RegExp): Promise<Fixture[]> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      // index.json is the directory's manifest (tests/fixtures/README.md), not a block
      if (e.isFile && e.name.endsWith(".json") && e.name !== "index.json") names.push(e.name);
    }
  } catch (e) {
    throw new Error(
      `cannot read fixture directory ${dir}: ${(e as Error).message} ` +
        `(save inputs there with: deno run -A main.ts execute --l2-rpc <url> --block <n> --save-input ${dir}/<name>.json)`,
    );
  }
  names.sort();
  const out: Fixture[] = [];
  for (const file of names) {
    const name = basename(file, ".json");
    if (only && !only.test(name)) continue;
    const path = join(dir, file);
    const bytes = (await Deno.stat(path)).size;
    try {
      out.push({ name, path, input: parseAnyInput(await Deno.readTextFile(path)), bytes });
    } catch (e) {
      throw new Error(`fixture ${path} is not a valid prover input: ${(e as Error).message}`);
    }
  }
  return out;
}
