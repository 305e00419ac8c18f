/** Webhook deliveries as the App deliveries API reports them. */
import type { Delivery } from "../../state/types.js";
import type { Json } from "./common.js";
import type { Shapes } from "./index.js";

export function deliveryItem(s: Shapes, d: Delivery): Json {
  return {
    id: d.id,
    guid: d.guid,
    delivered_at: d.deliveredAt,
    redelivery: d.redelivery,
    duration: d.duration,
    status: d.status,
    status_code: d.statusCode,
    event: d.event,
    action: d.action,
    installation_id: d.installationId,
    repository_id: d.repositoryId,
    throttled_at: null,
  };
}

export function delivery(s: Shapes, d: Delivery): Json {
  let payload: unknown;
  try {
    payload = JSON.parse(d.requestBody);
  } catch {
    payload = null;
  }
  return {
    ...s.deliveryItem(d),
    url: d.url,
    request: { headers: d.requestHeaders, payload },
    response: { headers: d.responseHeaders, payload: d.responseBody },
  };
}
