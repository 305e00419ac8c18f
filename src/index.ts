import type { Probot } from "probot";
import { refuseDefaultSecret, registerChangegate } from "./github/app.js";
import { recoveryFromEnv } from "./github/recovery.js";

/** The Probot App: registers Changegate's handlers and its recovery sweeps, nothing else. */
export default async function changegate(app: Probot): Promise<void> {
  await refuseDefaultSecret(app);
  registerChangegate(app).startRecovery(recoveryFromEnv(process.env));
}
