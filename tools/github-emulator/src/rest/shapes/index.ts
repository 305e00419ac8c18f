/**
 * REST representations of the state, with every field GitHub's description
 * marks as required (the emulator's tests validate responses against the
 * schemas). Webhook payloads reuse them. One module per area; this class
 * binds them to the state and the server's URLs.
 */
import type { TreeChange } from "../../state/git.js";
import type {
  AppInfo,
  CheckRun,
  Commit,
  Delivery,
  EmulatorState,
  Installation,
  Issue,
  IssueComment,
  IssueEvent,
  PullRequest,
  Repository,
  Review,
} from "../../state/types.js";
import * as accounts from "./accounts.js";
import * as checks from "./checks.js";
import type { Json, Links } from "./common.js";
import * as deliveries from "./deliveries.js";
import * as git from "./git.js";
import * as issues from "./issues.js";
import * as pulls from "./pulls.js";
import * as repository from "./repository.js";

export type { Links } from "./common.js";
export { base64Lines, checkSuiteId } from "./common.js";

export interface PullStats {
  commits: number;
  additions: number;
  deletions: number;
  changedFiles: number;
  mergeableState: string;
}

export class Shapes {
  constructor(
    readonly state: EmulatorState,
    readonly links: Links,
  ) {}

  user(login: string): Json {
    return accounts.user(this, login);
  }
  organization(login: string): Json {
    return accounts.organization(this, login);
  }
  /** The emulated App, or another one (GitHub Actions) by its `AppInfo`. */
  integration(app?: AppInfo): Json {
    return accounts.integration(this, app);
  }
  installation(inst: Installation): Json {
    return accounts.installation(this, inst);
  }
  repository(repo: Repository): Json {
    return repository.repository(this, repo);
  }
  fullRepository(repo: Repository): Json {
    return repository.fullRepository(this, repo);
  }
  commit(repo: Repository, commit: Commit, files?: Json[]): Json {
    return git.commit(this, repo, commit, files);
  }
  diffEntry(repo: Repository, change: TreeChange, ref: string): Json {
    return git.diffEntry(this, repo, change, ref);
  }
  contentFile(repo: Repository, path: string, content: string, ref: string): Json {
    return git.contentFile(this, repo, path, content, ref);
  }
  contentEntry(
    repo: Repository,
    path: string,
    type: "file" | "dir",
    ref: string,
    sha: string,
    size: number,
  ): Json {
    return git.contentEntry(this, repo, path, type, ref, sha, size);
  }
  label(repo: Repository, name: string): Json {
    return issues.label(this, repo, name);
  }
  issue(repo: Repository, issue: Issue | PullRequest): Json {
    return issues.issue(this, repo, issue);
  }
  issueComment(repo: Repository, comment: IssueComment): Json {
    return issues.issueComment(this, repo, comment);
  }
  reaction(reaction: IssueComment["reactions"][number]): Json {
    return issues.reaction(this, reaction);
  }
  issueEvent(repo: Repository, event: IssueEvent): Json {
    return issues.issueEvent(this, repo, event);
  }
  /** The `pull-request` schema; `stats` (commits, additions ...) is computed by the caller. */
  pull(repo: Repository, pr: PullRequest, stats: PullStats): Json {
    return pulls.pull(this, repo, pr, stats);
  }
  pullMinimal(repo: Repository, pr: PullRequest): Json {
    return pulls.pullMinimal(this, repo, pr);
  }
  review(repo: Repository, review: Review): Json {
    return pulls.review(this, repo, review);
  }
  checkRun(repo: Repository, run: CheckRun): Json {
    return checks.checkRun(this, repo, run);
  }
  deliveryItem(d: Delivery): Json {
    return deliveries.deliveryItem(this, d);
  }
  delivery(d: Delivery): Json {
    return deliveries.delivery(this, d);
  }
}
