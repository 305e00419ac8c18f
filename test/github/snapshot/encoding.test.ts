/**
 * Bytes that are not valid UTF-8 stay visible (issue 10, item 8): a bare U+FFFD for each would
 * make two files that differ only there read as the same text, so a change to them would keep
 * approvals. The loaders keep each such byte's value next to the U+FFFD.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY } from "../../../src/config/policy.js";
import { engineSettings } from "../../../src/config/settings.js";
import { changeSet } from "../../../src/gates/staleness.js";
import type { GitHubClient } from "../../../src/github/client.js";
import { decodeText, fileText } from "../../../src/github/snapshot/contents.js";
import { blobAnswer } from "../../../src/github/snapshot/graphql/run.js";

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Buffer.concat(parts.map((part) => Buffer.from(typeof part === "string" ? part : part)));

/** A client whose contents API answers `content` (base64, as GitHub does) for any file. */
function contentsClient(content: Uint8Array): GitHubClient {
  const request = async () => ({
    status: 200,
    headers: {},
    url: "",
    data: { type: "file", encoding: "base64", content: Buffer.from(content).toString("base64") },
  });
  return { request } as unknown as GitHubClient;
}

describe("decodeText", () => {
  it("decodes valid UTF-8 as it is, U+FFFD included", () => {
    const text = "server é ✓ 𝄞 \uFFFD\n";
    expect(decodeText(Buffer.from(text, "utf8"))).toBe(text);
  });

  it.each([
    ["a lone continuation byte", [0x80], "\uFFFD<80>"],
    ["an overlong slash", [0xc0, 0xaf], "\uFFFD<c0>\uFFFD<af>"],
    ["a UTF-16 surrogate", [0xed, 0xa0, 0x80], "\uFFFD<ed>\uFFFD<a0>\uFFFD<80>"],
    ["a sequence cut at the end", [0xe2, 0x9c], "\uFFFD<e2>\uFFFD<9c>"],
    ["a byte past U+10FFFF", [0xf5], "\uFFFD<f5>"],
    ["Latin-1 é", [0xe9], "\uFFFD<e9>"],
  ])("keeps %s", (_name, invalid, shown) => {
    expect(decodeText(bytes("name ", invalid, " ok ✓"))).toBe(`name ${shown} ok ✓`);
  });
});

describe("files that differ only in bytes that are not UTF-8", () => {
  const config = (value: number[]) =>
    bytes("http {\n  server {\n    server_name a", value, ";\n    listen 80;\n  }\n}\n");

  it("read as different texts, so the change set (staleness) sees the change", async () => {
    const path = "lb/nginx.conf";
    const then = await fileText(contentsClient(config([0xe9])), "o", "r", path, "a".repeat(40));
    const now = await fileText(contentsClient(config([0xe8])), "o", "r", path, "b".repeat(40));
    expect(then).not.toBe(now);
    const settings = engineSettings(DEFAULT_POLICY);
    const base = "http {\n  server {\n    server_name a;\n    listen 80;\n  }\n}\n";
    expect(changeSet([{ path, before: base, after: then }], settings)).not.toEqual(
      changeSet([{ path, before: base, after: now }], settings),
    );
  });

  it("GraphQL's text with U+FFFD is read again over REST, which gives the bytes", () => {
    expect(
      blobAnswer({ oid: "1".repeat(40), text: "a\uFFFDb", isBinary: false, isTruncated: false }),
    ).toEqual({ kind: "unreadable" });
  });
});
