import { middlewareReorders } from "../model/traefik/middlewares.js";
import { defineRule } from "../types.js";

// A router's middlewares run in the order listed, before its service; a chain's likewise:
// https://doc.traefik.io/traefik/reference/routing-configuration/http/middlewares/chain
export default defineRule({
  id: "traefik.evaluation-order.changed",
  family: "traefik",
  title: "Middlewares in a new order",
  description:
    "Kept middlewares of a router or a chain are in a new order. High when a middleware that changed place " +
    "guards access (basicAuth, digestAuth, forwardAuth, ipAllowList, rateLimit, inFlightReq, redirectScheme, a " +
    "chain) or one of the two named is defined outside the file; medium when all are defined here and do something " +
    "else (headers, stripPrefix ...). New middlewares placed first are additions, not reorders.",
  severity: "high",
  params: {},
  dialects: ["traefik"],
  check: (file) => middlewareReorders(file),
});
