import { Octokit } from "@octokit/rest";
import type { Emulator } from "../src/index.js";

/** A logger for @octokit/rest that prints nothing (the tests provoke errors on purpose). */
export const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** An @octokit/rest client acting as the App's first installation (a token from the emulator). */
export async function installationOctokit(emu: Emulator): Promise<Octokit> {
  const app = new Octokit({ baseUrl: emu.url, auth: "x.y.z", log: quiet });
  const { token } = (
    await app.rest.apps.createInstallationAccessToken({
      installation_id: [...emu.state.installations.keys()][0]!,
    })
  ).data;
  return new Octokit({ baseUrl: emu.url, auth: token, log: quiet });
}

/** What the emulator's GraphQL endpoint answered: the parsed body and the HTTP status. */
export interface GraphqlAnswer {
  readonly data?: Record<string, unknown>;
  readonly errors?: { message: string; type?: string; path?: (string | number)[] }[];
  readonly status: number;
}

/** Sends `text` to the emulator's GraphQL endpoint as `user` (a user token). */
export async function graphqlAs(
  emu: Emulator,
  user: string,
  text: string,
  variables: Record<string, unknown> = {},
): Promise<GraphqlAnswer> {
  const response = await fetch(emu.graphqlUrl, {
    method: "POST",
    headers: {
      authorization: `token ${emu.userToken(user)}`,
      "content-type": "application/json",
    },
    body: JSON.stringify({ query: text, variables }),
  });
  return { ...((await response.json()) as Omit<GraphqlAnswer, "status">), status: response.status };
}
