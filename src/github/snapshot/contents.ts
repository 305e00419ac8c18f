import { orNotFound, type GitHubClient } from "../client.js";

/**
 * A file's bytes as text. Valid UTF-8 is decoded as is; each byte that is not part of a valid
 * sequence becomes U+FFFD followed by its value (`\uFFFD<c3>`), not a bare U+FFFD: two files
 * that differ only in such bytes still differ (the change set, staleness), and the engine still
 * reports the invalid encoding (it looks for U+FFFD).
 */
export function decodeText(bytes: Uint8Array): string {
  const text = Buffer.from(bytes).toString("utf8");
  if (!text.includes("\uFFFD")) return text;
  let out = "";
  let start = 0;
  let i = 0;
  while (i < bytes.length) {
    const length = validSequence(bytes, i);
    if (length > 0) {
      i += length;
      continue;
    }
    out += Buffer.from(bytes.subarray(start, i)).toString("utf8");
    out += `\uFFFD<${bytes[i]!.toString(16).padStart(2, "0")}>`;
    start = ++i;
  }
  return out + Buffer.from(bytes.subarray(start)).toString("utf8");
}

/** A lead byte's sequence length and the range its second byte must fall in (RFC 3629). */
function leadOf(lead: number): readonly [length: number, min: number, max: number] | undefined {
  if (lead >= 0xc2 && lead <= 0xdf) return [2, 0x80, 0xbf];
  if (lead === 0xe0) return [3, 0xa0, 0xbf]; // no overlong forms
  if (lead === 0xed) return [3, 0x80, 0x9f]; // no surrogates
  if (lead >= 0xe1 && lead <= 0xef) return [3, 0x80, 0xbf];
  if (lead === 0xf0) return [4, 0x90, 0xbf]; // no overlong forms
  if (lead >= 0xf1 && lead <= 0xf3) return [4, 0x80, 0xbf];
  if (lead === 0xf4) return [4, 0x80, 0x8f]; // nothing past U+10FFFF
  return undefined;
}

/** The length of the valid UTF-8 sequence at `i`, or 0. */
function validSequence(bytes: Uint8Array, i: number): number {
  if (bytes[i]! < 0x80) return 1;
  const lead = leadOf(bytes[i]!);
  if (!lead || i + lead[0] > bytes.length) return 0;
  const second = bytes[i + 1]!;
  if (second < lead[1] || second > lead[2]) return 0;
  for (let k = 2; k < lead[0]; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return 0;
  return lead[0];
}

/** A file's text at a ref, or null when it does not exist there. */
export async function fileText(
  client: GitHubClient,
  owner: string,
  repo: string,
  path: string,
  ref: string,
): Promise<string | null> {
  const response = await orNotFound(() =>
    client.request("GET /repos/{owner}/{repo}/contents/{path}", { owner, repo, path, ref }),
  );
  if (!response) return null;
  const data = response.data as {
    type?: string;
    content?: string;
    encoding?: string;
    size?: number;
    download_url?: string | null;
  };
  if (Array.isArray(data) || data.type !== "file") return null;
  if (data.encoding === "base64" && typeof data.content === "string")
    return decodeText(Buffer.from(data.content, "base64"));
  // Files over 1 MB come back without content: ask for the raw media type.
  const raw = await client.request("GET /repos/{owner}/{repo}/contents/{path}", {
    owner,
    repo,
    path,
    ref,
    headers: { accept: "application/vnd.github.raw+json" },
  });
  return typeof raw.data === "string"
    ? raw.data
    : decodeText(new Uint8Array(raw.data as unknown as ArrayBuffer));
}
