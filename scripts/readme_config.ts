/**
 * Keeps the README's configuration table equal to the option specs: `--write` regenerates it
 * between its markers (then run deno fmt); without flags, exits 1 when it is out of date.
 */
import { configTable } from "./config_table.ts";

const START = "<!-- config-table:start";
const END = "<!-- config-table:end -->";

/** The rows of a markdown table as trimmed cells, separator rows dropped, spacing ignored. */
export function tableCells(markdown: string): string[][] {
  return markdown.split("\n")
    .filter((l) => l.trim().startsWith("|") && !/^\|[\s|:-]+\|$/.test(l.trim()))
    .map((l) => l.trim().slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim()));
}

/** The table block currently in the README (between the markers). */
export function readmeTable(readme: string): string {
  const a = readme.indexOf(START);
  const b = readme.indexOf(END);
  if (a < 0 || b < 0) throw new Error("README.md has no config-table markers");
  return readme.slice(readme.indexOf("\n", a) + 1, b);
}

if (import.meta.main) {
  const path = new URL("../README.md", import.meta.url);
  const readme = await Deno.readTextFile(path);
  const fresh = configTable();
  if (Deno.args.includes("--write")) {
    const a = readme.indexOf(START);
    const b = readme.indexOf(END);
    const head = readme.slice(0, readme.indexOf("\n", a) + 1);
    await Deno.writeTextFile(path, head + fresh + readme.slice(b));
  } else if (
    JSON.stringify(tableCells(readmeTable(readme))) !== JSON.stringify(tableCells(fresh))
  ) {
    console.error("README.md's configuration table is out of date: run `make docs`");
    Deno.exit(1);
  }
}
