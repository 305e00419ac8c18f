import tlsReferenceChanged from "../../../src/rules/traefik/tls-reference-changed.js";
import { ruleTable } from "../rule-table.js";
import { traefikDeployment } from "./builders.js";

const ingressRoute = (resolver: string) => `apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata:
  name: secure
spec:
  entryPoints:
    - websecure
  routes:
    - match: Host(\`app.example.com\`)
      kind: Rule
      services:
        - name: app
          port: 80
  tls:
    certResolver: ${resolver}
`;

const dynamic = (options: string, defined: string) => `[http.routers.web]
  rule = "Host(\`app.example.com\`)"
  service = "app"
  [http.routers.web.tls]
    options = "${options}"

[http.services.app.loadBalancer]
  [[http.services.app.loadBalancer.servers]]
    url = "http://10.0.0.1:8080"

[tls.options.${defined}]
  minVersion = "VersionTLS12"
`;

/** The Traefik Deployment defining certificate resolver `resolver` in its args. */
const resolverArgs = (resolver: string) =>
  traefikDeployment(`--certificatesresolvers.${resolver}.acme.tlschallenge`);

ruleTable(tlsReferenceChanged, {
  cases: [
    {
      name: "an IngressRoute's certResolver renamed to one this change does not define: high",
      path: "k8s/ingressroute.yaml",
      before: ingressRoute("default"),
      after: ingressRoute("myresolver"),
      expect: [
        {
          severity: "high",
          line: "certResolver: myresolver",
          phrase:
            /IngressRoute secure now uses certificate resolver myresolver instead of default, which this change does not define \(both are defined outside this file\)/,
        },
      ],
    },
    {
      name: "the resolver renamed in the Traefik Deployment's args too: a consistent rename",
      path: "k8s/ingressroute.yaml",
      before: ingressRoute("default") + resolverArgs("default"),
      after: ingressRoute("myresolver") + resolverArgs("myresolver"),
      expect: [],
    },
    {
      name: "a dynamic file's router pointing at TLS options it no longer defines: high",
      path: "traefik/dynamic.toml",
      before: dynamic("modern", "modern"),
      after: dynamic("strict", "modern"),
      expect: [
        {
          severity: "high",
          line: 'options = "strict"',
          phrase: /router web now uses TLS options strict instead of modern/,
        },
      ],
    },
    {
      name: "TLS options renamed together with their definition: consistent",
      path: "traefik/dynamic.toml",
      before: dynamic("modern", "modern"),
      after: dynamic("strict", "strict"),
      expect: [],
    },
  ],
});

const compose = (resolver: string, defined: string) => `services:
  traefik:
    image: traefik:v2.11
    command:
      - "--providers.docker=true"
      - "--certificatesresolvers.${defined}.acme.tlschallenge=true"
    ports:
      - "443:443"
  whoami:
    image: traefik/whoami
    labels:
      - "traefik.enable=true"
      - "traefik.http.routers.whoami.rule=Host(\`whoami.example.com\`)"
      - "traefik.http.routers.whoami.tls.certresolver=${resolver}"
`;

ruleTable(tlsReferenceChanged, {
  path: "docker-compose.yml",
  cases: [
    {
      name: "compose: the router's certresolver label points at a resolver the command does not define: high",
      before: compose("mytlschallenge", "mytlschallenge"),
      after: compose("myresolver", "mytlschallenge"),
      expect: [
        {
          severity: "high",
          line: "tls.certresolver=myresolver",
          phrase:
            /router whoami \(service whoami\) now uses certificate resolver myresolver instead of mytlschallenge/,
        },
      ],
    },
    {
      name: "compose: resolver renamed in the command and the label together: consistent",
      before: compose("mytlschallenge", "mytlschallenge"),
      after: compose("myresolver", "myresolver"),
      expect: [],
    },
  ],
});
