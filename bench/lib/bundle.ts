import { readdirSync, readFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { build, type Metafile } from "esbuild";
import { lambdaEsbuildOptions, type LambdaBundleVariant } from "../../infra/bundle";

/** A function entry whose bundle does not export `handler`, so Lambda could not call it. */
export class MissingHandlerError extends Error {
  override readonly name = "MissingHandlerError";
  readonly code = "bundle.missing_handler";
}

/** esbuild reported errors for an entry; the message lists them with their locations. */
export class BundleFailedError extends Error {
  override readonly name = "BundleFailedError";
  readonly code = "bundle.failed";
}

/** A Lambda entry point: `functions/<name>.ts` exporting `handler`. */
export interface FunctionEntry {
  name: string;
  entry: string;
}

/** What one bundle weighs, with esbuild's metafile for the analysis of what it holds. */
export interface BundleResult {
  /** The handler's file. */
  file: string;
  /** What the import of the handler reads: its file and the chunks it imports statically, transitively. */
  bytes: number;
  /** Every file written (the chunks imported on demand too): what the deployed package holds. */
  totalBytes: number;
  /** The metafile's output paths that {@link BundleResult.bytes} counts. */
  loadedOutputs: string[];
  metafile: Metafile;
}

/** A comparison variant of the deployed bundle (the AWS SDK left to the runtime). */
export type BundleOptions = LambdaBundleVariant;

const HANDLER_EXPORT = /^export\s+(?:(?:const|let|var|async\s+function|function)\s+handler\b|\{[^}]*\bhandler\b[^}]*\})/m;

/**
 * Every Lambda entry in `dir`: the top-level `*.ts` files (not `lib/`, tests or declarations)
 * whose source exports `handler`, sorted by name.
 */
export function discoverFunctions(dir: string): FunctionEntry[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith(".ts") && !/\.(test|d)\.ts$/.test(d.name))
    .map((d) => ({ name: basename(d.name, ".ts"), entry: resolve(dir, d.name) }))
    .filter((f) => HANDLER_EXPORT.test(readFileSync(f.entry, "utf8")))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Bundles one Lambda entry into `outDir/<name>.mjs` (and its chunks beside it) exactly as SST deploys
 * it: the esbuild options come from infra/bundle.ts, which also gives sst.config.ts its `nodejs`
 * argument. Throws when the bundle does not export `handler`.
 */
export async function bundleFunction(entry: string, outDir: string, options: BundleOptions = {}): Promise<BundleResult> {
  const file = join(outDir, `${basename(entry).replace(/\.[cm]?[jt]s$/, "")}.mjs`);
  const result = await build({ ...lambdaEsbuildOptions(entry, file, options), logLevel: "silent" }).catch((error: unknown) => {
    const errors = (error as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors ?? [];
    const detail = errors.map((e) => (e.location ? `${e.text} (${e.location.file}:${e.location.line})` : e.text)).join("; ");
    throw new BundleFailedError(`esbuild could not bundle ${entry}: ${detail || String(error)}`);
  });
  const output = Object.entries(result.metafile.outputs).find(([path]) => resolve(path) === resolve(file))?.[1];
  if (!output?.exports.includes("handler")) {
    throw new MissingHandlerError(`${entry} bundles to a module without a "handler" export (exports: ${output?.exports.join(", ") || "none"})`);
  }
  const outputs = result.metafile.outputs;
  const loaded = staticallyLoaded(outputs, Object.keys(outputs).find((path) => resolve(path) === resolve(file))!);
  const sum = (paths: Iterable<string>) => [...paths].reduce((total, path) => total + outputs[path]!.bytes, 0);
  return { file, bytes: sum(loaded), totalBytes: sum(Object.keys(outputs)), loadedOutputs: [...loaded], metafile: result.metafile };
}

// The output files importing `entry` reads before its code runs: itself and its static imports' files.
function staticallyLoaded(outputs: Metafile["outputs"], entry: string): Set<string> {
  const loaded = new Set<string>();
  const visit = (path: string) => {
    if (loaded.has(path) || !outputs[path]) return;
    loaded.add(path);
    for (const imported of outputs[path].imports) if (imported.kind === "import-statement" && !imported.external) visit(imported.path);
  };
  visit(entry);
  return loaded;
}

/** One source of bundle weight: a package (`zod`, `@aws-sdk/client-dynamodb`) or the app's own code. */
export interface Contributor {
  name: string;
  bytes: number;
}

/**
 * The heaviest contributors to a bundle, by bytes each left in the output after minifying
 * and tree-shaking; files outside node_modules are grouped as `(app)`.
 *
 * @param outputs - the output files to count (all by default), e.g. those the handler's import reads
 */
export function topContributors(metafile: Metafile, limit = 8, outputs: readonly string[] = Object.keys(metafile.outputs)): Contributor[] {
  const totals = new Map<string, number>();
  for (const output of outputs.map((path) => metafile.outputs[path]!)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(path);
      totals.set(name, (totals.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...totals]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name))
    .slice(0, limit);
}

/** The package a metafile input path belongs to (the innermost node_modules wins). */
export function packageOf(path: string): string {
  const parts = path.split("/");
  const at = parts.lastIndexOf("node_modules");
  if (at < 0) return "(app)";
  const first = parts[at + 1] ?? "";
  return first.startsWith("@") ? `${first}/${parts[at + 2] ?? ""}` : first;
}
