/** Every implemented REST operation, by operationId. */
import { appsHandlers } from "./apps.js";
import { checksHandlers } from "./checks.js";
import { issuesHandlers } from "./issues.js";
import { pullsHandlers } from "./pulls.js";
import { reposHandlers } from "./repos.js";
import { teamsHandlers } from "./teams.js";
import type { HandlerTable } from "./context.js";

export const handlers: HandlerTable = {
  ...appsHandlers,
  ...pullsHandlers,
  ...reposHandlers,
  ...issuesHandlers,
  ...checksHandlers,
  ...teamsHandlers,
};

/** Operations answered with a JWT (the App itself), not an installation token. */
export const APP_OPERATIONS = new Set([
  "apps/get-authenticated",
  "apps/list-installations",
  "apps/get-installation",
  "apps/create-installation-access-token",
  "apps/get-repo-installation",
  "apps/list-webhook-deliveries",
  "apps/get-webhook-delivery",
  "apps/redeliver-webhook-delivery",
]);

/** Operations anyone may call: with the App's JWT, any token, or none. */
export const PUBLIC_OPERATIONS = new Set(["apps/get-by-slug"]);

export type { HandlerTable, RestContext, RestResponse, Handler } from "./context.js";
