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
