/** Local GitHub emulator for end-to-end tests, the demo and benchmarks. */
export {
  startEmulator,
  Emulator,
  type EmulatorOptions,
  type AppCredentials,
  type RecordedDelivery,
} from "./emulator.js";
export type {
  RepositoryDispatchPayloadOptions,
  WorkflowRunPayloadOptions,
} from "./webhooks/actions.js";
export { GITHUB_ACTIONS } from "./state/store.js";
export type {
  CommitAuthor,
  CreateRepoOptions,
  Identity,
  OpenPullRequestOptions,
  RepoRef,
  ReviewOptions,
  RulesetOptions,
} from "./scenario/types.js";
export type { FaultSpec, ActiveFault } from "./faults.js";
export type {
  RecordedRequest,
  Violation,
  ViolationKind,
  GraphqlHandler,
  GraphqlRequest,
} from "./server.js";
export type { DeliveryResult } from "./webhooks/deliver.js";
export { exampleFor } from "./webhooks/payloads.js";
export * from "./state/types.js";
export {
  blobSha,
  diffTrees,
  mergeBase,
  resolveRef,
  type FileChanges,
  type TreeChange,
} from "./state/git.js";
export { pullChanges } from "./state/queries.js";
