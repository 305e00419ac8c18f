import { z } from "zod";
import { policySchema } from "./schema.js";

/** docs/changegate.schema.json, generated from the zod schema so the two cannot drift. */
export function policyJsonSchema(): object {
  return {
    ...(z.toJSONSchema(policySchema, { io: "input", unrepresentable: "any" }) as object),
    $id: "https://github.com/changegate/changegate/docs/changegate.schema.json",
    title: "Changegate policy (.github/changegate.yml)",
  };
}
