// Issue 12, items 15 and 17: `npm start` refuses a bad environment in one line (Probot would print
// a stack trace and fall back to its setup flow), and its setup flow registers the App with a
// webhook URL GitHub can reach: a smee.io channel, WEBHOOK_PROXY_URL, or --webhook-url.
import { execFile } from "node:child_process";
import { createVerify, generateKeyPairSync } from "node:crypto";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Probot } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  environmentProblem,
  parseStartArguments,
  startChangegate,
  StartupError,
} from "../../src/github/startup.js";
import { repoRoot } from "../helpers.js";

const rsa = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});
const ec = generateKeyPairSync("ec", {
  namedCurve: "P-256",
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "changegate-startup-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const problem = (env: Record<string, string>) =>
  environmentProblem({ WEBHOOK_SECRET: "s3cret", ...env }, dir);

describe("environmentProblem", () => {
  it("accepts the App's PEM key as GitHub gives it and as Probot reads it", () => {
    const pem = rsa.privateKey;
    expect(problem({ APP_ID: "12", PRIVATE_KEY: pem })).toBeUndefined();
    expect(problem({ APP_ID: "12", PRIVATE_KEY: pem.replace(/\n/g, "\\n") })).toBeUndefined();
    expect(
      problem({ APP_ID: "12", PRIVATE_KEY: Buffer.from(pem).toString("base64") }),
    ).toBeUndefined();
    expect(problem({ APP_ID: "12", PRIVATE_KEY: pem.trim().replace(/\n/g, " ") })).toBeUndefined();
    writeFileSync(join(dir, "app.pem"), pem);
    expect(problem({ APP_ID: "12", PRIVATE_KEY_PATH: "app.pem" })).toBeUndefined();
    expect(problem({ APP_ID: "12" })).toBeUndefined(); // the one *.pem in the folder, as Probot
  });

  it("lets Probot's setup flow run without any credentials, except in production", () => {
    expect(environmentProblem({}, dir)).toBeUndefined();
    expect(environmentProblem({ NODE_ENV: "production" }, dir)).toBe(
      "APP_ID and PRIVATE_KEY are not set, and NODE_ENV=production has no setup flow: register the App first (docs/install.md)",
    );
  });

  it("says in one line what is wrong with the key, showing no more than its first characters", () => {
    expect(problem({ APP_ID: "12", PRIVATE_KEY: "abc" })).toBe(
      'PRIVATE_KEY is not a PEM private key (begins with "abc")',
    );
    expect(problem({ APP_ID: "12", PRIVATE_KEY: "not-a-key-at-all\nsecond line" })).toBe(
      'PRIVATE_KEY is not a PEM private key (begins with "not-a-ke…")',
    );
    expect(problem({ APP_ID: "12", PRIVATE_KEY: rsa.publicKey })).toBe(
      'PRIVATE_KEY is a PEM "PUBLIC KEY", not a private key: use the .pem file GitHub generated for the App',
    );
    expect(problem({ APP_ID: "12", PRIVATE_KEY: rsa.privateKey.slice(0, 400) })).toBe(
      'PRIVATE_KEY is cut short: it has no "-----END RSA PRIVATE KEY-----" line',
    );
    const lines = rsa.privateKey.split("\n");
    const altered = [...lines.slice(0, 3), ...lines.slice(5)].join("\n");
    expect(problem({ APP_ID: "12", PRIVATE_KEY: altered })).toBe(
      'PRIVATE_KEY is a "RSA PRIVATE KEY" block that does not decode: it is cut short or altered',
    );
    expect(problem({ APP_ID: "12", PRIVATE_KEY: ec.privateKey })).toBe(
      "PRIVATE_KEY is an EC key: a GitHub App's key is RSA",
    );
  });

  it("names the missing half of the credentials and a bad APP_ID", () => {
    expect(problem({ PRIVATE_KEY: rsa.privateKey })).toBe(
      "PRIVATE_KEY is set but APP_ID is not: set APP_ID to the App's id",
    );
    expect(problem({ APP_ID: "12" })).toBe(
      "APP_ID is set but PRIVATE_KEY is not: set PRIVATE_KEY (or PRIVATE_KEY_PATH) to the App's private key",
    );
    expect(problem({ APP_ID: "my-app", PRIVATE_KEY: rsa.privateKey })).toBe(
      'APP_ID is not a number: "my-app"',
    );
    expect(environmentProblem({ APP_ID: "12", PRIVATE_KEY: rsa.privateKey }, dir)).toBe(
      "WEBHOOK_SECRET is not set: set it to the App's webhook secret (docs/install.md)",
    );
  });

  it("names the key file that is missing, or the .pem files it cannot choose between", () => {
    expect(problem({ APP_ID: "12", PRIVATE_KEY_PATH: "keys/app.pem" })).toBe(
      "PRIVATE_KEY_PATH (keys/app.pem): no such file",
    );
    writeFileSync(join(dir, "a.pem"), rsa.privateKey);
    writeFileSync(join(dir, "b.pem"), rsa.privateKey);
    expect(problem({ APP_ID: "12" })).toBe(
      `more than one .pem file in ${dir} (a.pem, b.pem): set PRIVATE_KEY_PATH to the App's key`,
    );
  });

  it("says where a key without APP_ID was found when it is a .pem file in the folder", () => {
    writeFileSync(join(dir, "app.pem"), rsa.privateKey);
    // Probot takes the folder's one .pem file as the key, so there is no setup flow.
    expect(environmentProblem({}, dir)).toBe(
      `APP_ID is not set, but ${dir} holds a .pem file (app.pem), which Probot takes as the App's key: set APP_ID to the App's id, or move the file away to run the setup flow`,
    );
  });
});

describe("parseStartArguments", () => {
  it("takes --webhook-url, an http(s) URL, and nothing else", () => {
    expect(parseStartArguments([])).toEqual({});
    expect(
      parseStartArguments(["--webhook-url", "https://gate.example.com/api/github/webhooks"]),
    ).toEqual({ webhookUrl: "https://gate.example.com/api/github/webhooks" });
    expect(() => parseStartArguments(["--webhook-url", "gate.example.com"])).toThrow(
      '--webhook-url is not an http(s) URL: "gate.example.com"',
    );
    expect(() => parseStartArguments(["--port", "3000"])).toThrow(
      /^Unknown option '--port'.* \(npm start accepts only --webhook-url URL\)$/,
    );
    expect(() => parseStartArguments(["--port", "3000"])).toThrow(StartupError);
  });
});

describe("the start entry", () => {
  it("refuses a bad PRIVATE_KEY with one line on stderr and exit code 1, no stack trace", async () => {
    const startup = pathToFileURL(join(repoRoot, "src/github/startup.ts")).href;
    // tsx by path: the child runs in a folder with no node_modules.
    const tsx = pathToFileURL(join(repoRoot, "node_modules/tsx/dist/loader.mjs")).href;
    const script = `import { main } from ${JSON.stringify(startup)}; await main(() => {}, []);`;
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
      (resolve) => {
        const child = execFile(
          process.execPath,
          ["--import", tsx, "--input-type=module", "-e", script],
          {
            cwd: dir,
            env: { PATH: process.env.PATH, APP_ID: "12", PRIVATE_KEY: "abc", WEBHOOK_SECRET: "x" },
          },
          (_error, stdout, stderr) => resolve({ code: child.exitCode, stdout, stderr }),
        );
      },
    );
    expect(result).toEqual({
      code: 1,
      stdout: "",
      stderr: 'changegate: PRIVATE_KEY is not a PEM private key (begins with "abc")\n',
    });
  });
});

/**
 * After each test of the calling describe block: stops the server the test started, then restores
 * the working directory and the environment as they were when the block was collected. Returns
 * the setter for that server's stop.
 */
function restoreProcessAfterEach(): (stop: () => Promise<void>) => void {
  const saved = { ...process.env };
  const savedCwd = process.cwd();
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
    process.chdir(savedCwd);
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  });
  return (next) => {
    stop = next;
  };
}

describe("the key in .env as Probot's setup flow writes it", () => {
  const stopAfter = restoreProcessAfterEach();

  // The setup flow writes PRIVATE_KEY="-----BEGIN …\n…" to .env. `docker run --env-file .env`
  // keeps the quotes as part of the value (https://github.com/docker/cli/issues/3630), where `npm
  // start` (Node's parseEnv) removes them: the App starts and signs with the key either way.
  it.each([
    ["npm start (.env parsed)", false],
    ["docker run --env-file .env (quotes kept)", true],
  ])("%s: the App starts and signs with the key", async (_how, quotesKept) => {
    process.chdir(dir);
    const line = `"${rsa.privateKey.replace(/\n/g, "\\n")}"`;
    for (const name of ["PRIVATE_KEY_PATH", "WEBHOOK_PROXY_URL", "NODE_ENV"])
      delete process.env[name];
    Object.assign(process.env, {
      LOG_LEVEL: "silent",
      HOST: "127.0.0.1",
      PORT: String(await freePort()),
      APP_ID: "12",
      WEBHOOK_SECRET: "s3cret",
    });
    if (quotesKept) process.env.PRIVATE_KEY = line;
    else {
      delete process.env.PRIVATE_KEY;
      writeFileSync(join(dir, ".env"), `PRIVATE_KEY=${line}\n`);
    }
    let app: Probot | undefined;
    const server = await startChangegate((probot) => {
      app = probot;
    });
    stopAfter(() => server.stop());
    const octokit = await app!.auth();
    const { token } = (await octokit.auth({ type: "app" })) as { token: string };
    const [header, payload, signature] = token.split(".");
    const verifier = createVerify("RSA-SHA256").update(`${header}.${payload}`);
    expect(verifier.verify(rsa.publicKey, signature!, "base64url")).toBe(true);
  });
});

describe("the setup flow (Probot's, no network)", () => {
  const stopAfter = restoreProcessAfterEach();

  beforeEach(() => {
    // Probot reads app.yml and .env from the working directory.
    copyFileSync(join(repoRoot, "app.yml"), join(dir, "app.yml"));
    process.chdir(dir);
    for (const name of ["APP_ID", "PRIVATE_KEY", "PRIVATE_KEY_PATH", "WEBHOOK_PROXY_URL"])
      delete process.env[name];
    process.env.LOG_LEVEL = "silent";
    process.env.HOST = "127.0.0.1";
  });

  /** Starts the setup flow and returns the manifest its page would send to GitHub. */
  async function setupManifest(webhookUrl?: string) {
    const channels: string[] = [];
    const written: NodeJS.ProcessEnv[] = [];
    const said: string[] = [];
    process.env.PORT = String(await freePort());
    const server = await startChangegate(() => {}, {
      ...(webhookUrl && { webhookUrl }),
      SmeeClient: {
        createChannel: () => {
          channels.push("created");
          return Promise.resolve("https://smee.io/changegate-test-channel");
        },
      },
      updateEnv: (values) => {
        written.push(values);
        Object.assign(process.env, values);
        return values;
      },
      say: (line) => said.push(line),
    });
    stopAfter(() => server.stop());
    const page = await (await fetch(`http://127.0.0.1:${process.env.PORT}/probot`)).text();
    const manifest = JSON.parse(/id="manifest" value='([^']*)'/.exec(page)![1]!) as {
      hook_attributes: { url: string };
      default_events: string[];
      public: boolean;
    };
    return { manifest, channels, written, said };
  }

  it("registers the App with a new smee.io channel and writes it to .env", async () => {
    const { manifest, channels, written, said } = await setupManifest();
    expect(channels).toEqual(["created"]);
    expect(written).toEqual([{ WEBHOOK_PROXY_URL: "https://smee.io/changegate-test-channel" }]);
    expect(manifest.hook_attributes).toEqual({ url: "https://smee.io/changegate-test-channel" });
    expect(manifest.default_events).toContain("pull_request");
    expect(manifest.public).toBe(false);
    expect(said).toEqual([
      "changegate: setup: the App will be registered with its webhook at https://smee.io/changegate-test-channel (a smee.io channel that forwards to this process while it runs)",
    ]);
  });

  it("registers the App with WEBHOOK_PROXY_URL when it is set, making no channel", async () => {
    writeFileSync(join(dir, ".env"), "WEBHOOK_PROXY_URL=https://smee.io/mine\n");
    const { manifest, channels } = await setupManifest();
    expect(channels).toEqual([]);
    expect(manifest.hook_attributes.url).toBe("https://smee.io/mine");
  });

  it("registers the App with the public URL given by --webhook-url, making no channel", async () => {
    const url = "https://gate.example.com/api/github/webhooks";
    const { manifest, channels, written, said } = await setupManifest(url);
    expect(channels).toEqual([]);
    expect(written).toEqual([]);
    expect(manifest.hook_attributes.url).toBe(url);
    expect(said).toEqual([
      `changegate: setup: the App will be registered with its webhook at ${url}`,
    ]);
  });

  it("refuses a port in use in one line, before making a channel", async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const { port } = busy.address() as { port: number };
    process.env.PORT = String(port);
    let channels = 0;
    try {
      await expect(
        startChangegate(() => {}, {
          SmeeClient: { createChannel: () => Promise.resolve(`https://smee.io/${++channels}`) },
          updateEnv: (values) => values,
        }),
      ).rejects.toThrow(
        new StartupError(
          `port ${port} on 127.0.0.1 is in use: stop what listens there, or set PORT to a free port`,
        ),
      );
      expect(channels).toBe(0);
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });

  it("refuses a HOST that is not an address of this machine", async () => {
    process.env.HOST = "192.0.2.1"; // TEST-NET-1 (RFC 5737): no machine's own address
    await expect(startChangegate(() => {})).rejects.toThrow(
      "HOST=192.0.2.1 is not an address of this machine: set HOST (0.0.0.0: all interfaces)",
    );
  });

  it("refuses --webhook-url beside WEBHOOK_PROXY_URL", async () => {
    writeFileSync(join(dir, ".env"), "WEBHOOK_PROXY_URL=https://smee.io/mine\n");
    await expect(setupManifest("https://gate.example.com/hook")).rejects.toThrow(
      "--webhook-url and WEBHOOK_PROXY_URL (https://smee.io/mine) are both set: give one",
    );
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}
