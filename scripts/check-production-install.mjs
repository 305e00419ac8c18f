// CI (.ci/run): the product installs and runs without the development tools. Builds and packs the
// repository, installs the tarball with `npm install --omit=dev` into a temporary project (the npm
// registry must be reachable), runs the CLI on examples/postmortem/ and starts the App with
// bin/changegate-app.js (`npm start`, the Dockerfile's command) on 127.0.0.1, then removes
// everything it made. Exits non-zero on the first failure.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createHmac, generateKeyPairSync } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "changegate-production-"));
const project = join(work, "project");
let app;

const step = (text) => console.log(`✓ ${text}`);
const fail = (text) => {
  throw new Error(text);
};
const run = (command, args, options = {}) =>
  execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...options });

try {
  // 1. Build and pack: the tarball is what `npm publish` would upload.
  run("npm", ["run", "build"], { cwd: repoRoot });
  const [pack] = JSON.parse(
    run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], {
      cwd: repoRoot,
    }),
  );
  const packed = pack.files.map((file) => file.path);
  const outsideProduct = packed.filter(
    (path) =>
      !/^(bin|dist|docs)\//.test(path) &&
      !["package.json", "README.md", "LICENSE", "app.yml"].includes(path),
  );
  if (outsideProduct.length > 0) fail(`the tarball holds more than the product: ${outsideProduct}`);
  // Every compiled file comes from src/ (a stale dist/ would ship files of removed modules).
  const notFromSrc = packed
    .filter((path) => path.startsWith("dist/"))
    .map((path) => path.replace(/^dist\//, "src/").replace(/\.js(\.map)?$/, ".ts"))
    .filter((source) => !existsSync(join(repoRoot, source)));
  if (notFromSrc.length > 0) fail(`dist/ holds files with no source in src/: ${notFromSrc}`);
  for (const entry of ["dist/index.js", "dist/cli/main.js", "bin/changegate.js"]) {
    if (!packed.includes(entry)) fail(`the tarball lacks ${entry}`);
  }
  step(
    `packed ${pack.filename}: ${packed.length} files, ${pack.size} bytes, only bin/ dist/ docs/`,
  );

  // 2. A production install of the tarball, as a user would make it: npm installs no
  // devDependencies and no workspace of a dependency, so steps 3 and 4 run without the
  // development tools, and fail if the product needs one of them.
  mkdirSync(project);
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({ name: "changegate-production-check", version: "0.0.0", private: true }),
  );
  // npm runs no `prepare` for a tarball (its scripts/prepare.mjs is not packed: it would fail here).
  run("npm", ["install", "--omit=dev", "--no-audit", "--no-fund", join(work, pack.filename)], {
    cwd: project,
  });
  step(`npm install --omit=dev ${pack.filename}`);

  // 3. The CLI, from the installed bin, answers like the checkout's.
  const cli = join(project, "node_modules", ".bin", "changegate");
  if (!run(cli, ["--help"]).startsWith("Usage: changegate")) fail("changegate --help");
  step("changegate --help");
  const pair = ["examples/postmortem/before.tf", "examples/postmortem/after.tf"];
  for (const format of ["json", "markdown"]) {
    const installedOut = cliOutput(cli, ["diff", ...pair, "--format", format]);
    const checkoutOut = cliOutput(process.execPath, [
      join(repoRoot, "bin", "changegate.js"),
      "diff",
      ...pair,
      "--format",
      format,
    ]);
    if (installedOut !== checkoutOut) fail(`changegate diff --format ${format} differs`);
    if (!installedOut.includes("high"))
      fail(`changegate diff --format ${format} found no high risk`);
  }
  step(`changegate diff ${pair.join(" ")} (json and markdown, same as the checkout)`);

  // 4. The App entry, as `npm start` and the Docker image run it: a bad key is refused in one
  // line; with a throwaway key it serves webhooks (nothing reaches GitHub).
  const appEntry = join(project, "node_modules", "changegate", "bin", "changegate-app.js");
  const refused = spawnSync(process.execPath, [appEntry], {
    cwd: project,
    encoding: "utf8",
    timeout: 30_000,
    env: { PATH: process.env.PATH, APP_ID: "1", PRIVATE_KEY: "abc", WEBHOOK_SECRET: "x" },
  });
  const refusal = 'changegate: PRIVATE_KEY is not a PEM private key (begins with "abc")\n';
  if (refused.status !== 1 || refused.stderr !== refusal)
    fail(`a bad PRIVATE_KEY: exit ${refused.status}, stderr ${JSON.stringify(refused.stderr)}`);
  step("bin/changegate-app.js refuses a bad PRIVATE_KEY: one line, exit 1");
  const secret = "production-check-secret";
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  app = spawn(process.execPath, [appEntry], {
    cwd: project,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      APP_ID: "1",
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: secret,
      HOST: "127.0.0.1",
      // Probot's `run` reads PORT=0 as its default 3000 (`Number(env.PORT) || 3000`): ask the OS instead.
      PORT: String(await freePort()),
      LOG_LEVEL: "info",
      LOG_FORMAT: "json",
      // Port 9 (discard) on loopback: should the App call GitHub, it fails here, not on the internet.
      GHE_HOST: "127.0.0.1:9",
      GHE_PROTOCOL: "http",
      CHANGEGATE_RECOVERY_INTERVAL_MS: "0",
    },
  });
  const base = `http://127.0.0.1:${await listeningPort(app)}`;
  const ping = await fetch(`${base}/ping`);
  if (ping.status !== 200 || (await ping.text()) !== "PONG") fail(`GET /ping: ${ping.status}`);
  const payload = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1 });
  const signature = `sha256=${createHmac("sha256", secret).update(payload).digest("hex")}`;
  const delivery = (headers) =>
    fetch(`${base}/api/github/webhooks`, {
      method: "POST",
      body: payload,
      headers: {
        "content-type": "application/json",
        "x-github-event": "ping",
        "x-github-delivery": "00000000-0000-0000-0000-000000000001",
        ...headers,
      },
    });
  const signed = await delivery({ "x-hub-signature-256": signature });
  if (signed.status !== 200) fail(`a signed ping delivery got ${signed.status}`);
  const forged = await delivery({ "x-hub-signature-256": `sha256=${"0".repeat(64)}` });
  if (forged.status !== 400) fail(`a forged delivery got ${forged.status}, not 400`);
  step(`bin/changegate-app.js: GET /ping 200, signed delivery 200, forged delivery 400`);
} catch (error) {
  console.error(`✗ production install check failed: ${error.message}`);
  if (error.stderr) console.error(String(error.stderr));
  process.exitCode = 1;
} finally {
  if (app && app.exitCode === null) {
    app.kill("SIGTERM");
    await Promise.race([new Promise((resolve) => app.once("exit", resolve)), delay(5000)]);
    if (app.exitCode === null && app.signalCode === null) app.kill("SIGKILL");
  }
  rmSync(work, { recursive: true, force: true });
}

/** The CLI's stdout and exit code (a high-risk diff may exit non-zero). */
function cliOutput(command, args) {
  try {
    return `${run(command, args, { cwd: repoRoot })}\nexit 0`;
  } catch (error) {
    if (typeof error.status !== "number") throw error;
    return `${error.stdout}\nexit ${error.status}`;
  }
}

/** A port nobody listens on right now (the OS picks it; it is free again once closed). */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves with the port from Probot's "Listening on" log line; rejects if the App exits first. */
function listeningPort(child) {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`the App did not listen:\n${output}`)), 30_000);
    const read = (chunk) => {
      output += chunk;
      const match = /Listening on http:\/\/[^:]+:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout.on("data", read);
    child.stderr.on("data", read);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the App exited with ${code}:\n${output}`));
    });
  });
}
