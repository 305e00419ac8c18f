/**
 * Sends signed webhook deliveries to the App and records them for the
 * deliveries API (status code, duration, request and response).
 */
import { createHash } from "node:crypto";
import { sign } from "@octokit/webhooks-methods";
import { currentTime, nextId } from "../state/store.js";
import type { Delivery, EmulatorState } from "../state/types.js";

export interface DeliveryResult {
  /** HTTP status the App answered (0 when it could not be reached or no target is set). */
  status: number;
  deliveryId: number;
  guid: string;
  event: string;
  action: string | null;
  /** The App's response body. */
  body: string;
}

export interface SendOptions {
  event: string;
  /** JSON text to send; signed as is. */
  body: string;
  /** Replace or add headers (e.g. a wrong signature); `null` removes one. */
  headers?: Record<string, string | null>;
  guid?: string;
  redelivery?: boolean;
}

/** A GUID derived from a counter: unique, and the same on every run. */
function guidFor(state: EmulatorState): string {
  const hex = createHash("sha1")
    .update(`delivery-${nextId(state, "guid")}`)
    .digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export class WebhookSender {
  target: string | undefined;

  constructor(
    private readonly state: EmulatorState,
    private readonly secret: string,
    private readonly timeoutMs: number,
  ) {}

  async send(options: SendOptions): Promise<DeliveryResult> {
    const guid = options.guid ?? guidFor(this.state);
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(options.body) as Record<string, unknown>;
    } catch {
      parsed = {};
    }
    const installation = parsed.installation as { id?: number } | undefined;
    const repository = parsed.repository as { id?: number } | undefined;
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/emulator",
      "x-github-event": options.event,
      "x-github-delivery": guid,
      "x-github-hook-id": "1",
      "x-github-hook-installation-target-id": String(this.state.app.id),
      "x-github-hook-installation-target-type": "integration",
      "x-hub-signature-256": await sign(this.secret, options.body),
    };
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      if (value === null) delete headers[name.toLowerCase()];
      else headers[name.toLowerCase()] = value;
    }
    const delivery: Delivery = {
      id: nextId(this.state, "delivery"),
      guid,
      event: options.event,
      action: typeof parsed.action === "string" ? parsed.action : null,
      installationId: installation?.id ?? null,
      repositoryId: repository?.id ?? null,
      deliveredAt: currentTime(this.state),
      redelivery: options.redelivery ?? false,
      duration: 0,
      statusCode: 0,
      status: "No webhook target set",
      url: this.target ?? "",
      requestHeaders: headers,
      requestBody: options.body,
      responseHeaders: {},
      responseBody: "",
    };
    this.state.deliveries.push(delivery);
    if (this.target) {
      const started = performance.now();
      try {
        const response = await fetch(this.target, {
          method: "POST",
          headers,
          body: options.body,
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        delivery.responseBody = await response.text();
        delivery.statusCode = response.status;
        const responseHeaders: Record<string, string> = {};
        response.headers.forEach((value, name) => {
          responseHeaders[name] = value;
        });
        delivery.responseHeaders = responseHeaders;
        delivery.status = response.ok ? "OK" : `Invalid HTTP Response: ${response.status}`;
      } catch (error) {
        delivery.status =
          error instanceof Error && error.name === "TimeoutError"
            ? "Timed out"
            : "Couldn't connect to server";
      }
      delivery.duration = Math.round(performance.now() - started) / 1000;
    }
    return {
      status: delivery.statusCode,
      deliveryId: delivery.id,
      guid,
      event: delivery.event,
      action: delivery.action,
      body: delivery.responseBody,
    };
  }

  /** Sends a stored delivery again: same GUID and body, `redelivery: true`. */
  async redeliver(deliveryId: number): Promise<DeliveryResult> {
    const original = this.state.deliveries.find((d) => d.id === deliveryId);
    if (!original) throw new Error(`emulator: no delivery ${deliveryId}`);
    return this.send({
      event: original.event,
      body: original.requestBody,
      guid: original.guid,
      redelivery: true,
    });
  }
}
