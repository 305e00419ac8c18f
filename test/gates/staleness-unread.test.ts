/**
 * Staleness sees every byte that matters: a file the engine reports instead of parsing (binary,
 * over the evaluation's byte budget, too large, unparsable) still enters the change-set
 * fingerprint with its raw text, so changing it after an approval makes the approval stale.
 */
import { describe, expect, it } from "vitest";
import { engineSettings } from "../../src/config/settings.js";
import { policy } from "./builders.js";
import { changeSet } from "../../src/gates/staleness.js";
import type { EngineSettings } from "../../src/engine/settings.js";

const settings = engineSettings(policy());

const NGINX = (upstream: string) =>
  `http {\n  server {\n    listen 80;\n    location / { proxy_pass http://${upstream}; }\n  }\n}\n`;

/** `then` is the version an approver saw, `now` the head: a change between them must show. */
const cases: {
  name: string;
  path: string;
  then: string;
  now: string;
  settings?: EngineSettings;
}[] = [
  {
    name: "a binary file (NUL bytes) changed after the approval",
    path: "lb/nginx.conf",
    then: `${NGINX("app_v1")}\u0000`,
    now: `${NGINX("evil")}\u0000`,
  },
  {
    name: "a file past the evaluation's byte budget changed after the approval",
    path: "lb/nginx.conf",
    then: NGINX("app_v1"),
    now: NGINX("evil_v1"),
    settings: { ...settings, maxTotalBytes: 10 },
  },
  {
    name: "a file over the per-file limit changed after the approval",
    path: "lb/nginx.conf",
    then: NGINX("app_v1"),
    now: NGINX("evil_v1"),
    settings: { ...settings, maxFileBytes: 10 },
  },
];

describe("changeSet: files the engine did not parse fall back to their raw text", () => {
  it.each(cases)("$name: the change sets differ", (item) => {
    const used = item.settings ?? settings;
    const base = NGINX("app_v0");
    const then = changeSet([{ path: item.path, before: base, after: item.then }], used);
    const now = changeSet([{ path: item.path, before: base, after: item.now }], used);
    expect(then.length).toBeGreaterThan(0);
    expect(now).not.toEqual(then);
  });

  it("a policy that turns the engine's own findings off does not hide the change", () => {
    const quiet: EngineSettings = {
      ...settings,
      rules: {
        ...settings.rules,
        "file.encoding": { enabled: false },
        "evaluation.budget": { enabled: false },
      },
    };
    const base = NGINX("app_v0");
    const then = changeSet(
      [{ path: "lb/nginx.conf", before: base, after: `${base}\u0000a` }],
      quiet,
    );
    const now = changeSet(
      [{ path: "lb/nginx.conf", before: base, after: `${base}\u0000b` }],
      quiet,
    );
    expect(now).not.toEqual(then);
  });
});
