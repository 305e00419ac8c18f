import type { Probot } from "probot";
import { registerChangegate } from "./github/app.js";
import { recoveryFromEnv } from "./github/recovery.js";

/** The Probot App: registers Changegate's handlers and its recovery sweeps, nothing else. */
export default function changegate(app: Probot): void {
  registerChangegate(app).startRecovery(recoveryFromEnv(process.env));
}
