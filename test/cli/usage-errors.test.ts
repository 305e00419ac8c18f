import { describe, expect, it } from "vitest";
import { fetchSnapshot } from "../../src/cli/evaluate-command.js";
import { run } from "./cli-helpers.js";

describe("changegate: a usage error is one line", () => {
  it("also when commander suggests a command", async () => {
    expect(await run("analyse")).toEqual({
      code: 2,
      out: "",
      err: "changegate: unknown command 'analyse' (did you mean analyze?)\n",
    });
  });

  it("also when commander suggests an option", async () => {
    const { code, err } = await run("diff", "--fail-o", "high", "a", "b");
    expect(code).toBe(2);
    expect(err).toBe("changegate: unknown option '--fail-o' (did you mean --fail-on?)\n");
  });
});

describe("changegate evaluate --pr: the reference", () => {
  it("is checked before the token, so a typo is named first", async () => {
    await expect(fetchSnapshot("acme/app/1", undefined, {})).rejects.toThrow(
      'expected OWNER/REPO#NUMBER, got "acme/app/1"',
    );
  });

  it("refuses . and .. as an owner or repository (they would walk up the API's path)", async () => {
    await expect(fetchSnapshot("../app#1", undefined, { GITHUB_TOKEN: "t" })).rejects.toThrow(
      'expected OWNER/REPO#NUMBER, got "../app#1"',
    );
    await expect(fetchSnapshot("acme/.#1", undefined, { GITHUB_TOKEN: "t" })).rejects.toThrow(
      'expected OWNER/REPO#NUMBER, got "acme/.#1"',
    );
  });
});
