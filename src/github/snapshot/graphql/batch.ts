/**
 * Round trip 2: files at commits by aliased `object(expression: "oid:path")`, directories with
 * their files' texts (the context, src/github/snapshot/context.ts) by the same on a tree, reviewers'
 * permissions by aliased `collaborators(login:)`, and team members, in as few queries as GitHub
 * answers comfortably, sent in parallel.
 */
import type { Permission } from "../../../gates/snapshot.js";
import type { GitHubClient } from "../../client.js";
import type { FileKey, FileTexts } from "./file-texts.js";
import {
  BLOB_FRAGMENT,
  blobAnswer,
  errorsAt,
  runGraphql,
  TREE_FRAGMENT,
  treeAnswer,
  type BlobFields,
  type TreeFields,
} from "./run.js";

/** Files per query: 100 texts of typical config files stay far below GitHub's time limits. */
const FILES_PER_QUERY = 100;

export interface BatchWants {
  readonly files: readonly FileKey[];
  /** Directories (`path`) whose files are read with their texts; none when absent. */
  readonly trees?: readonly FileKey[];
  /** Logins whose permission on the repository is needed (REST's form: `name[bot]`). */
  readonly logins: readonly string[];
  /** `org/slug` */
  readonly teams: readonly string[];
}

export interface BatchAnswers {
  /** undefined: GraphQL could not tell; ask REST. */
  readonly permissions: ReadonlyMap<string, Permission | undefined>;
  /** The members; null: no such team (REST's 404); undefined: ask REST. */
  readonly teams: ReadonlyMap<string, readonly string[] | null | undefined>;
}

interface BatchAnswer {
  repository?: Record<
    string,
    | BlobFields
    | TreeFields
    | { edges: { permission: string; node: { login: string } }[] | null }
    | null
  > | null;
  [team: string]: unknown;
}

type TeamAnswer = {
  team: { members: { pageInfo: { hasNextPage: boolean }; nodes: { login: string }[] } } | null;
} | null;

const PERMISSIONS: readonly Permission[] = ["admin", "maintain", "write", "triage", "read"];

/**
 * Runs the batch; file texts go to `texts`. Nothing to ask: no request. `isPrivate` decides what
 * a non-collaborator may do, as REST's permission endpoint answers it (read on a public repository).
 */
export async function runBatch(
  client: GitHubClient,
  owner: string,
  repo: string,
  isPrivate: boolean,
  wants: BatchWants,
  texts: FileTexts,
): Promise<BatchAnswers> {
  const files = texts.missing(wants.files, true);
  const chunks: FileKey[][] = [];
  for (let start = 0; start < files.length; start += FILES_PER_QUERY)
    chunks.push(files.slice(start, start + FILES_PER_QUERY));
  if (chunks.length === 0) chunks.push([]);
  const trees = texts.missingTrees(wants.trees ?? []);
  const permissions = new Map<string, Permission | undefined>();
  const teams = new Map<string, readonly string[] | null | undefined>();
  await Promise.all(
    chunks.map(async (chunk, index) => {
      // Directories, permissions and teams ride with the first chunk.
      const dirs = index === 0 ? trees : [];
      const logins = index === 0 ? wants.logins : [];
      const teamNames = index === 0 ? wants.teams : [];
      if (!chunk.length && !dirs.length && !logins.length && !teamNames.length) return;
      const { query, variables } = batchQuery(owner, repo, {
        files: chunk,
        dirs,
        logins,
        teamNames,
      });
      // A query the directories make fail fails like any other (the REST loader reads them then):
      // context left out would let a cross-file finding go unseen (docs/security.md).
      const { data, errors } = await runGraphql<BatchAnswer>(client, query, variables);
      if (!data) throw new Error(`GraphQL batch failed: ${errors[0]?.message ?? "no data"}`);
      if ((chunk.length || dirs.length || logins.length) && !data.repository)
        throw new Error(`GraphQL batch failed: ${errors[0]?.message ?? "no repository"}`);
      dirs.forEach((dir, i) => {
        const alias = `d${i}`;
        const problem = errorsAt(errors, "repository", alias)[0];
        if (problem)
          throw new Error(`GraphQL did not read directory ${dir.path}: ${problem.message}`);
        texts.recordTree(
          dir.commit,
          dir.path,
          treeAnswer(data.repository?.[alias] as TreeFields | null),
        );
      });
      chunk.forEach((file, i) => {
        const alias = `f${i}`;
        texts.record(
          file.commit,
          file.path,
          errorsAt(errors, "repository", alias).length
            ? { kind: "unreadable" }
            : blobAnswer(data.repository?.[alias] as BlobFields | null),
        );
      });
      logins.forEach((login, i) => {
        const alias = `u${i}`;
        const answer = data.repository?.[alias] as
          { edges: { permission: string; node: { login: string } }[] | null } | null | undefined;
        if (errorsAt(errors, "repository", alias).length || !answer) {
          permissions.set(login, undefined);
          return;
        }
        const edge = (answer.edges ?? []).find(
          (candidate) => candidate.node.login.toLowerCase() === login.toLowerCase(),
        );
        const permission = PERMISSIONS.find((value) => value === edge?.permission.toLowerCase());
        permissions.set(login, permission ?? (isPrivate ? "none" : "read"));
      });
      teamNames.forEach((name, i) => {
        const alias = `t${i}`;
        const problems = errorsAt(errors, alias);
        const answer = data[alias] as TeamAnswer | undefined;
        if (problems.some((problem) => problem.type !== "NOT_FOUND")) teams.set(name, undefined);
        else if (!answer?.team) teams.set(name, null);
        else if (answer.team.members.pageInfo.hasNextPage) teams.set(name, undefined);
        else
          teams.set(
            name,
            answer.team.members.nodes.map((member) => member.login),
          );
      });
    }),
  );
  return { permissions, teams };
}

function batchQuery(
  owner: string,
  repo: string,
  wants: {
    readonly files: readonly FileKey[];
    readonly dirs: readonly FileKey[];
    readonly logins: readonly string[];
    readonly teamNames: readonly string[];
  },
): { query: string; variables: Record<string, unknown> } {
  const { files, dirs, logins, teamNames: teams } = wants;
  const declarations: string[] = [];
  const repositoryFields: string[] = [];
  const rootFields: string[] = [];
  const variables: Record<string, unknown> = {};
  files.forEach((file, i) => {
    declarations.push(`$f${i}: String!`);
    repositoryFields.push(`f${i}: object(expression: $f${i}) { ...BlobText }`);
    variables[`f${i}`] = `${file.commit}:${file.path}`;
  });
  dirs.forEach((dir, i) => {
    declarations.push(`$d${i}: String!`);
    repositoryFields.push(`d${i}: object(expression: $d${i}) { ...TreeTexts }`);
    variables[`d${i}`] = `${dir.commit}:${dir.path}`;
  });
  logins.forEach((login, i) => {
    declarations.push(`$u${i}: String!`);
    repositoryFields.push(
      `u${i}: collaborators(login: $u${i}, first: 1) { edges { permission node { login } } }`,
    );
    variables[`u${i}`] = login;
  });
  teams.forEach((name, i) => {
    const [org, slug] = name.split("/") as [string, string];
    declarations.push(`$o${i}: String!`, `$t${i}: String!`);
    rootFields.push(
      `t${i}: organization(login: $o${i}) { team(slug: $t${i}) { members(first: 100) { pageInfo { hasNextPage } nodes { login } } } }`,
    );
    variables[`o${i}`] = org;
    variables[`t${i}`] = slug;
  });
  if (repositoryFields.length) {
    declarations.unshift("$owner: String!", "$repo: String!");
    rootFields.unshift(
      `repository(owner: $owner, name: $repo) {\n    ${repositoryFields.join("\n    ")}\n  }`,
    );
    variables.owner = owner;
    variables.repo = repo;
  }
  const fragments = [
    ...(files.length ? [BLOB_FRAGMENT] : []),
    ...(dirs.length ? [TREE_FRAGMENT] : []),
  ];
  const query = `query ChangegateBatch(${declarations.join(", ")}) {\n  ${rootFields.join("\n  ")}\n}\n${fragments.join("\n")}`;
  return { query, variables };
}
