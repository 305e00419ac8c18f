// Builders for the Istio rule tests: a Gateway, a VirtualService and a DestinationRule of the bookinfo
// reviews service, shaped like the istio.io networking reference examples.

/** A Gateway `public` with its `servers` entries. */
export const gateway = (
  servers: string,
  apiVersion = "networking.istio.io/v1beta1",
) => `apiVersion: ${apiVersion}
kind: Gateway
metadata:
  name: public
spec:
  selector:
    istio: ingressgateway
  servers:
${servers}`;

/** A Gateway server on `port` speaking `protocol` for `hosts`, with optional `tls` lines (indented 6). */
export const server = (port: number, protocol: string, hosts: string, tls = "", name = "") =>
  `  - port:
      number: ${port}
      name: ${name || `${protocol.toLowerCase()}-${port}`}
      protocol: ${protocol}
    hosts:
${hosts
  .split(",")
  .map((host) => `    - "${host}"`)
  .join("\n")}
${tls ? `    tls:\n${tls}` : ""}`;

/** A VirtualService `reviews` for `hosts` with its `http` routes. */
export const virtualService = (
  http: string,
  hosts = "reviews",
) => `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: reviews
spec:
  hosts:
${hosts
  .split(",")
  .map((host) => `  - ${host}`)
  .join("\n")}
  http:
${http}`;

/** An HTTP route: `destinations` as `host/subset=weight` separated by commas, then extra route lines (indented 4). */
export const httpRoute = (destinations: string, extra = "") =>
  `  - route:
${destinations
  .split(",")
  .map((entry) => {
    const [target, weight] = entry.split("=");
    const [host, subset] = target!.split("/");
    return (
      `    - destination:\n        host: ${host}\n` +
      (subset ? `        subset: ${subset}\n` : "") +
      (weight ? `      weight: ${weight}\n` : "")
    );
  })
  .join("")}${extra}`;

/** A DestinationRule `reviews` with a top-level `trafficPolicy` body (indented 4) and optional subsets. */
export const destinationRule = (
  policy: string,
  subsets = "",
) => `apiVersion: networking.istio.io/v1alpha3
kind: DestinationRule
metadata:
  name: reviews
spec:
  host: reviews.default.svc.cluster.local
${policy ? `  trafficPolicy:\n${policy}` : ""}${subsets ? `  subsets:\n${subsets}` : ""}`;
