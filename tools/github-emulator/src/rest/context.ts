/** What a REST handler receives and returns, and the shared pagination helper. */
import type { IncomingHttpHeaders } from "node:http";
import type { Shapes } from "./shapes/index.js";
import type { EmulatorState, TokenInfo } from "../state/types.js";

export interface RestServices {
  /** Re-sends a stored delivery to the App (in the background). */
  redeliver(deliveryId: number): void;
}

export interface RestContext {
  state: EmulatorState;
  shapes: Shapes;
  operationId: string;
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
  headers: IncomingHttpHeaders;
  /** Login the request acts as (the App's bot for installation tokens). */
  actor: string;
  token: TokenInfo | undefined;
  /** Absolute URL of the request under the REST base (for Link headers). */
  url: URL;
  services: RestServices;
}

export interface RestResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Non-JSON body (raw file contents). */
  text?: string;
}

export type Handler = (ctx: RestContext) => RestResponse | Promise<RestResponse>;
export type HandlerTable = Record<string, Handler>;

export function str(ctx: RestContext, name: string): string {
  return String(ctx.params[name] ?? "");
}

export function num(ctx: RestContext, name: string): number {
  return Number(ctx.params[name]);
}

/** The JSON body as an object (validation already checked its shape). */
export function bodyOf<T>(ctx: RestContext): T {
  return (ctx.body ?? {}) as T;
}

/**
 * Slices a list by `per_page` (default 30, at most 100) and `page`, with
 * GitHub's `Link` header (`first`, `prev`, `next`, `last`).
 */
export function paginate<T>(
  ctx: RestContext,
  items: T[],
  options: { maxTotal?: number } = {},
): { items: T[]; headers: Record<string, string> } {
  const all = options.maxTotal !== undefined ? items.slice(0, options.maxTotal) : items;
  const perPage = Math.min(Math.max(Number(ctx.query.per_page ?? 30) || 30, 1), 100);
  const page = Math.max(Number(ctx.query.page ?? 1) || 1, 1);
  const lastPage = Math.max(Math.ceil(all.length / perPage), 1);
  const link = (p: number, rel: string) => {
    const url = new URL(ctx.url);
    url.searchParams.set("per_page", String(perPage));
    url.searchParams.set("page", String(p));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, "prev"));
  if (page < lastPage) links.push(link(page + 1, "next"));
  if (lastPage > 1) links.push(link(lastPage, "last"));
  if (page > 1) links.push(link(1, "first"));
  return {
    items: all.slice((page - 1) * perPage, page * perPage),
    headers: links.length ? { link: links.join(", ") } : {},
  };
}

export function ok(body: unknown, headers?: Record<string, string>): RestResponse {
  return headers ? { status: 200, body, headers } : { status: 200, body };
}

export function created(body: unknown): RestResponse {
  return { status: 201, body };
}
