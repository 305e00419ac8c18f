import { orNotFound, type GitHubClient } from "../client.js";

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
    return Buffer.from(data.content, "base64").toString("utf8");
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
    : Buffer.from(raw.data as unknown as ArrayBuffer).toString("utf8");
}
