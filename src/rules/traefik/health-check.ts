import { scalarFold, serversOf, type TraefikService } from "./services.js";
import { healthCheckOf } from "./services.js";

/** Whether the service runs an active check: a path, or gRPC mode (Traefik runs no check without one, TH). */
export function checks(service: TraefikService): boolean {
  const block = healthCheckOf(service);
  if (block?.kind !== "map") return false;
  const path = scalarFold(block, "path");
  const grpc = String(scalarFold(block, "mode") ?? "").toLowerCase() === "grpc";
  return grpc || (typeof path === "string" && path !== "");
}

export const serverCount = (service: TraefikService): number => serversOf(service).length;
