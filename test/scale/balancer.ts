import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** A tiny round-robin load balancer: each delivery goes to the next replica, body and headers as sent. */
export interface Balancer {
  readonly url: string;
  /** Deliveries forwarded to each replica, by index. */
  readonly forwarded: number[];
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set([
  "host",
  "connection",
  "content-length",
  "transfer-encoding",
  "keep-alive",
]);

export async function startBalancer(targets: readonly string[]): Promise<Balancer> {
  const forwarded = targets.map(() => 0);
  let next = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const index = next++ % targets.length;
      forwarded[index]!++;
      void forward(
        targets[index]!,
        request.method ?? "POST",
        request.headers,
        Buffer.concat(chunks),
      )
        .then(({ status, body, contentType }) => {
          response.writeHead(status, contentType ? { "content-type": contentType } : {}).end(body);
        })
        .catch((error: unknown) => {
          response.writeHead(502).end(String(error));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`,
    forwarded,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function forward(
  target: string,
  method: string,
  incoming: IncomingHttpHeaders,
  body: Buffer,
): Promise<{ status: number; body: string; contentType: string | null }> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  const answer = await fetch(target, { method, headers, body: new Uint8Array(body) });
  return {
    status: answer.status,
    body: await answer.text(),
    contentType: answer.headers.get("content-type"),
  };
}
