// `npm run screenshot`: the pictures of the sticky comment and the check run in the README,
// shot from the demo's real output. Runs the demo scenario (tools/demo, the real App against the
// local GitHub emulator), renders the final comment and check run with scripts/screenshot-html.ts
// and shoots each page with headless Chromium into docs/images/.
// Chromium is a development tool here: `apt-get install chromium` on Debian, or set CHROMIUM.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { runPostmortemDemo } from "../tools/demo/postmortem.js";
import { startLocalStack } from "../tools/demo/stack.js";
import { checkRunPage, commentPage } from "./screenshot-html.js";

const IMAGES = fileURLToPath(new URL("../docs/images/", import.meta.url));
const WIDTH = 912;
const LIMIT_BYTES = 300 * 1024;
const CANDIDATES = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
];

function findChromium(): string | undefined {
  const chosen = process.env.CHROMIUM;
  if (chosen) return existsSync(chosen) ? chosen : undefined;
  return CANDIDATES.find((path) => existsSync(path));
}

function chromium(binary: string, args: string[]): string {
  const sandbox = process.getuid?.() === 0 ? ["--no-sandbox"] : [];
  const result = spawnSync(
    binary,
    ["--headless", ...sandbox, "--disable-gpu", "--hide-scrollbars", ...args],
    { encoding: "utf8", timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.status !== 0) {
    throw new Error(
      `${binary} exited with ${result.status ?? result.signal}: ${result.stderr.trim().split("\n").at(-1)}`,
    );
  }
  return result.stdout;
}

/** Shoots `html` at the height its content takes (measured by Chromium in a first pass). */
function shoot(binary: string, dir: string, name: string, html: string): number {
  const measure = join(dir, `${name}.measure.html`);
  writeFileSync(
    measure,
    html.replace(
      "</body>",
      "<script>document.body.dataset.height = Math.ceil(document.documentElement.getBoundingClientRect().height);</script></body>",
    ),
  );
  const dom = chromium(binary, [
    `--window-size=${WIDTH},1000`,
    "--dump-dom",
    pathToFileURL(measure).href,
  ]);
  const height = Number(/data-height="(\d+)"/.exec(dom)?.[1]);
  if (!Number.isFinite(height) || height <= 0) throw new Error(`could not measure ${name}`);

  const page = join(dir, `${name}.html`);
  writeFileSync(page, html);
  const out = join(IMAGES, `${name}.png`);
  chromium(binary, [
    "--force-device-scale-factor=1",
    "--default-background-color=ffffffff",
    `--window-size=${WIDTH},${height}`,
    `--screenshot=${out}`,
    pathToFileURL(page).href,
  ]);
  return statSync(out).size;
}

const binary = findChromium();
if (!binary) {
  console.error(
    `changegate screenshot: headless Chromium not found (${process.env.CHROMIUM ?? CANDIDATES.join(", ")}); ` +
      "install it (Debian: apt-get install chromium) or set CHROMIUM to its path",
  );
  process.exit(2);
}

const stack = await startLocalStack({ logLevel: "error" });
let outputs: Awaited<ReturnType<typeof runPostmortemDemo>>;
try {
  outputs = await runPostmortemDemo(stack);
} finally {
  await stack.close();
}

const dir = mkdtempSync(join(tmpdir(), "changegate-screenshot-"));
try {
  const pages = {
    "sticky-comment": commentPage(outputs.comment),
    "check-run": checkRunPage({ name: "Changegate", ...outputs.checkRun }),
  };
  for (const [name, html] of Object.entries(pages)) {
    const bytes = shoot(binary, dir, name, html);
    console.log(`docs/images/${name}.png: ${Math.round(bytes / 1024)} KB`);
    if (bytes > LIMIT_BYTES) {
      console.error(`changegate screenshot: docs/images/${name}.png is over 300 KB`);
      process.exitCode = 1;
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
