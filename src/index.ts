import type { Probot } from "probot";
import { registerChangegate } from "./github/app.js";

/** The Probot App: registers Changegate's handlers, nothing else. */
export default function changegate(app: Probot): void {
  registerChangegate(app);
}
