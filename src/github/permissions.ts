import type { Permission } from "../gates/snapshot.js";
import { orNotFound, type GitHubClient } from "./client.js";

/** Each user's permission on the repository, asked once per evaluation. */
export class PermissionCache {
  private readonly cache = new Map<string, Promise<Permission>>();

  constructor(
    private readonly client: GitHubClient,
    private readonly owner: string,
    private readonly repo: string,
  ) {}

  of(login: string): Promise<Permission> {
    let permission = this.cache.get(login);
    if (!permission) {
      permission = this.load(login);
      this.cache.set(login, permission);
    }
    return permission;
  }

  private async load(login: string): Promise<Permission> {
    const response = await orNotFound(() =>
      this.client.request("GET /repos/{owner}/{repo}/collaborators/{username}/permission", {
        owner: this.owner,
        repo: this.repo,
        username: login,
      }),
    );
    if (!response) return "none";
    // role_name distinguishes maintain and triage; `permission` folds them into write/read.
    const role = (response.data as { role_name?: string }).role_name;
    const permission = response.data.permission;
    if (role === "maintain" || role === "triage") return role;
    return (
      (["admin", "write", "read", "none"] as const).find((value) => value === permission) ?? "none"
    );
  }
}
