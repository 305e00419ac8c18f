// Bundles the GitHub Action (src/action/main.ts) into the one file GitHub runs, action/index.mjs,
// and writes the licences of the packages it inlines beside it, action/index.mjs.LEGAL.txt.
// `npm run bundle`; test/action/bundle.test.ts fails when the committed bundle is stale.
// An action runs from its repository as committed, without `npm install`, so everything it imports
// is inlined (https://docs.github.com/en/actions/sharing-automations/creating-actions/creating-a-javascript-action).
import { build, type BuildOptions, type Metafile, type OutputFile } from "esbuild";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** The Action's entry, from the repository root. */
export const ACTION_ENTRY = "src/action/main.ts";
/** What the build writes into its output folder (the repository's is `action/`). */
export const BUNDLE_FILE = "index.mjs";
export const LEGAL_FILE = "index.mjs.LEGAL.txt";

/**
 * A CommonJS package that requires a Node built-in becomes esbuild's `__require` shim in an ESM
 * bundle, which throws this at run time unless a `require` is in scope: the banner defines one.
 */
const DYNAMIC_REQUIRE = "Dynamic require of";
const REQUIRE_BANNER =
  'import { createRequire as __changegateCreateRequire } from "node:module";\n' +
  "const require = __changegateCreateRequire(import.meta.url);";

export interface BundleOptions {
  /** The entry, from the repository root (tests bundle an entry of their own). */
  readonly entry?: string;
}

export interface BundleResult {
  /** The files written, absolute. */
  readonly files: readonly string[];
  /** Whether the bundle needed the `require` banner. */
  readonly requireBanner: boolean;
  /** Bundled packages whose folder holds no licence file (their licence is named only). */
  readonly withoutLicenceFile: readonly string[];
}

/**
 * Bundles the Action into `outDir`: one ESM file for Node 20 and later, every dependency inlined,
 * no source map. Not minified: a reviewer reads the committed bundle's diff, and names and line
 * breaks make a stack trace from a run point at code. The same sources give the same bytes:
 * esbuild names inputs by their path from the repository root and adds no date.
 */
export async function bundleAction(
  outDir: string,
  options: BundleOptions = {},
): Promise<BundleResult> {
  const outfile = join(resolve(outDir), BUNDLE_FILE);
  const result = await esbuild(options.entry ?? ACTION_ENTRY, outfile);
  // One build with the banner; dropped again when no CommonJS code requires a built-in.
  const withBanner = outputText(result.outputFiles, outfile);
  const requireBanner = withBanner.includes(DYNAMIC_REQUIRE);
  const bundle = requireBanner ? withBanner : withBanner.slice(`${REQUIRE_BANNER}\n`.length);
  const packages = bundledPackages(result.metafile, outfile);
  const legalComments = result.outputFiles.find((file) => file.path !== outfile)?.text ?? "";
  mkdirSync(outDir, { recursive: true });
  const legalFile = join(resolve(outDir), LEGAL_FILE);
  writeFileSync(outfile, bundle);
  writeFileSync(legalFile, legalText(packages, legalComments));
  return {
    files: [outfile, legalFile],
    requireBanner,
    withoutLicenceFile: packages.filter((pkg) => pkg.files.length === 0).map((pkg) => pkg.id),
  };
}

async function esbuild(entry: string, outfile: string) {
  const options = {
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    sourcemap: false,
    minify: false,
    // Collected into the licence file (below the packages' own licences) instead of the bundle.
    legalComments: "external",
    metafile: true,
    write: false,
    // esbuild prints its warnings and errors (with file and line) to stderr.
    logLevel: "warning",
    banner: { js: REQUIRE_BANNER },
  } satisfies BuildOptions;
  return build(options);
}

function outputText(files: readonly OutputFile[], path: string): string {
  const file = files.find((output) => output.path === path);
  if (!file) throw new Error(`esbuild wrote no ${path}`);
  return file.text;
}

interface BundledPackage {
  /** `name@version`. */
  readonly id: string;
  /** Its folder from the repository root (`node_modules/a/node_modules/b` for a nested copy). */
  readonly dir: string;
  /** The `license` field of its package.json. */
  readonly license: string;
  /** Its LICENSE / LICENCE / COPYING / NOTICE files, by name. */
  readonly files: readonly string[];
}

/** The packages that put code into the bundle (tree-shaken-away ones put none), by folder. */
function bundledPackages(metafile: Metafile, outfile: string): BundledPackage[] {
  const output = Object.entries(metafile.outputs).find(([path]) => resolve(root, path) === outfile);
  if (!output) throw new Error(`esbuild's metafile has no output ${outfile}`);
  const dirs = new Set<string>();
  for (const [input, { bytesInOutput }] of Object.entries(output[1].inputs)) {
    const dir = packageDir(input);
    if (dir && bytesInOutput > 0) dirs.add(dir);
  }
  return [...dirs].sort().map((dir) => {
    const manifest = JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8")) as {
      name?: string;
      version?: string;
      license?: unknown;
    };
    return {
      id: `${manifest.name ?? dir}@${manifest.version ?? "unknown"}`,
      dir,
      license: typeof manifest.license === "string" ? manifest.license : "not declared",
      files: readdirSync(join(root, dir))
        .filter((name) => /^(licen[cs]e|copying|notice)([.\-_].*)?$/i.test(name))
        .sort(),
    };
  });
}

/** `node_modules/@scope/name` of `node_modules/@scope/name/dist/x.js`; null for our own files. */
export function packageDir(input: string): string | null {
  const at = input.lastIndexOf("node_modules/");
  if (at < 0) return null;
  const parts = input.slice(at + "node_modules/".length).split("/");
  const nameParts = parts[0]?.startsWith("@") ? 2 : 1;
  if (parts.length <= nameParts) return null;
  return input.slice(0, at) + "node_modules/" + parts.slice(0, nameParts).join("/");
}

function legalText(packages: readonly BundledPackage[], legalComments: string): string {
  const rule = "=".repeat(78);
  const sections = packages.map((pkg) => {
    const texts = pkg.files.map(
      (name) => `--- ${name}\n\n${readFileSync(join(root, pkg.dir, name), "utf8").trimEnd()}\n`,
    );
    if (texts.length === 0) texts.push("(the package ships no licence file)\n");
    return `${rule}\n${pkg.id} (${pkg.license})\n${rule}\n\n${texts.join("\n")}`;
  });
  const comments = legalComments.trim()
    ? [`${rule}\nLicence comments in the bundled code\n${rule}\n\n${legalComments.trimEnd()}\n`]
    : [];
  const header =
    `Licences of the ${packages.length} packages bundled into ${BUNDLE_FILE} ` +
    "(Changegate's own code: Apache-2.0, LICENSE in the repository). Generated by `npm run bundle`.\n";
  return [header, ...sections, ...comments].join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    const result = await bundleAction(join(root, "action"));
    for (const file of result.files) console.log(`wrote action/${basename(file)}`);
    if (result.requireBanner)
      console.log("the bundle defines require: CommonJS code in it needs one");
    for (const id of result.withoutLicenceFile) {
      console.log(
        `warning: ${id} ships no licence file: action/${LEGAL_FILE} names its licence only`,
      );
    }
  } catch (error) {
    // esbuild has printed the errors with their file and line.
    console.error(
      `npm run bundle: ${error instanceof Error ? error.message.split("\n")[0] : error}`,
    );
    process.exitCode = 1;
  }
}
