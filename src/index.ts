import type { Probot } from "probot";
import { refuseDefaultSecret, registerChangegate } from "./github/app.js";
import { recoveryFromEnv } from "./github/recovery.js";
import { timedSweepFromEnv } from "./github/timed-sweep.js";

/**
 * The Probot App: registers Changegate's handlers, its recovery sweeps and the timed sweep of
 * pull requests held by a change window, nothing else.
 */
export default async function changegate(app: Probot): Promise<void> {
  await refuseDefaultSecret(app);
  const changegate = registerChangegate(app);
  changegate.startRecovery(recoveryFromEnv(process.env));
  changegate.startTimedSweep(timedSweepFromEnv(process.env));
}
