// The demo's visitor id (placeholder until the mailbox work lands; see front/proxy.ts).
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";

export const DEMO_VISITOR_HEADER = "x-demo-visitor";
const FORMAT = /^[A-Za-z0-9_-]{22,43}$/;

export function parseVisitorId(value: string | undefined): string | undefined {
  return value !== undefined && FORMAT.test(value) ? value : undefined;
}

export function newVisitorId(): string {
  return randomBytes(16).toString("base64url");
}

export function visitorOf(req: IncomingMessage): string | undefined {
  const value = req.headers[DEMO_VISITOR_HEADER];
  return parseVisitorId(Array.isArray(value) ? undefined : value);
}
