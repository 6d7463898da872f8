import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningService } from "../lib/http";
import { MailDeliveryError, sendMail, startMailbox } from "./index";
import { MAILBOX_TAGLINE, renderBody } from "./page";

const API_KEY = "test-mailbox-key-0123456789";

interface ApiMessage {
  id: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  createdAt: string;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/emails`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${API_KEY}`, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function list(url: string, to?: string): Promise<ApiMessage[]> {
  const response = await fetch(`${url}/api/messages${to ? `?to=${encodeURIComponent(to)}` : ""}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { messages: ApiMessage[] }).messages;
}

const valid = { from: "Demo <no-reply@example.com>", to: "jane@example.com", subject: "Hello", text: "Your code is 123456" };

describe("mailbox", () => {
  let mailbox: RunningService;

  beforeAll(async () => {
    mailbox = await startMailbox({ port: 0, dataDir: "memory://", apiKey: API_KEY });
  });
  afterAll(async () => {
    await mailbox.close();
  });

  it("listens on a real port when asked for port 0", () => {
    expect(mailbox.url).toMatch(/^http:\/\/127\.0\.0\.1:[1-9][0-9]*$/);
  });

  it.each([
    ["missing", {}],
    ["wrong", { Authorization: "Bearer wrong-key-wrong-key-wrong" }],
    ["wrong scheme", { Authorization: `Basic ${API_KEY}` }],
  ])("401 invalid_api_key when the key is %s", async (_name, headers) => {
    const init: RequestInit = {
      method: "POST",
      headers: { "Content-Type": "application/json", ...headers },
      body: JSON.stringify(valid),
    };
    const response = await fetch(`${mailbox.url}/emails`, init);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { code: "invalid_api_key", message: expect.any(String) } });
  });

  it.each([
    ["missing subject", { ...valid, subject: undefined }],
    ["bad recipient", { ...valid, to: "not-an-email" }],
    ["empty recipient list", { ...valid, to: [] }],
    ["bad sender", { ...valid, from: "Demo <nope>" }],
    ["text not a string", { ...valid, text: 42 }],
    ["header injection in subject", { ...valid, subject: "Hi\r\nBcc: x@example.com" }],
  ])("400 validation_error for %s", async (_name, body) => {
    const response = await post(mailbox.url, body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("validation_error");
  });

  it("400 invalid_json, 413 payload_too_large, 415 for other media types", async () => {
    expect((await post(mailbox.url, "{nope")).status).toBe(400);
    const big = await post(mailbox.url, { ...valid, text: "x".repeat(70 * 1024) });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
    const form = await post(mailbox.url, "a=b", { "Content-Type": "application/x-www-form-urlencoded" });
    expect(form.status).toBe(415);
  });

  it("stores messages, lists newest first and filters by recipient", async () => {
    const first = await post(mailbox.url, { ...valid, to: "Filter.Me@Example.com", subject: "first" });
    expect(first.status).toBe(200);
    const { id } = (await first.json()) as { id: string };
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await post(mailbox.url, { ...valid, to: ["other@example.com", "Filter Me <filter.me@example.com>"], subject: "second" });
    await post(mailbox.url, { ...valid, to: "someone-else@example.com", subject: "third" });

    const filtered = await list(mailbox.url, "filter.me@example.com");
    expect(filtered.map((m) => m.subject)).toEqual(["second", "first"]);
    expect(filtered[1]).toMatchObject({ id, from: valid.from, to: ["Filter.Me@Example.com"], text: valid.text });
    expect(new Date(filtered[1]!.createdAt).toISOString()).toBe(filtered[1]!.createdAt);
    expect((await list(mailbox.url))[0]?.subject).toBe("third");
  });

  it("escapes user content in the HTML inbox", async () => {
    await post(mailbox.url, {
      ...valid,
      to: "xss@example.com",
      subject: "<script>alert(1)</script>",
      text: "<img src=x onerror=alert(2)> & code 654321",
    });
    const response = await fetch(`${mailbox.url}/?to=${encodeURIComponent('xss@example.com"><script>')}`);
    const empty = await response.text();
    expect(empty).not.toContain('"><script>');

    const page = await (await fetch(`${mailbox.url}/?to=xss@example.com`)).text();
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(page).not.toContain("<script>alert(1)");
    expect(page).not.toContain("<img src=x");
    expect(page).toContain('<mark class="code">654321</mark>');
    expect(page).toContain('data-testid="message-subject"');
    expect(page).toContain('data-testid="message-body"');
    expect(page.match(/data-testid="message"/g)).toHaveLength(1);
  });

  it("serves the inbox with a strict CSP, the tagline and auto-refresh", async () => {
    const response = await fetch(`${mailbox.url}/`);
    expect(response.headers.get("content-type")).toContain("text/html");
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    const page = await response.text();
    expect(nonce).toBeDefined();
    expect(page).toContain(`<script nonce="${nonce}">`);
    expect(page).toContain("setInterval(tick, 3000)");
    expect(page.replace(/<[^>]+>/g, "").replace(/&#39;/g, "'")).toContain(MAILBOX_TAGLINE);
  });

  it("404 for unknown routes, 405 for wrong methods", async () => {
    const missing = await fetch(`${mailbox.url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: "not_found", message: expect.any(String) } });
    expect((await fetch(`${mailbox.url}/emails`)).status).toBe(405);
  });
});

describe("renderBody", () => {
  it("escapes around highlighted codes", () => {
    expect(renderBody("<b>1234</b>&12345678901")).toBe('&lt;b&gt;<mark class="code">1234</mark>&lt;/b&gt;&amp;12345678901');
  });
});

describe("mailbox persistence and client", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "mailbox-test-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps messages across a restart on the same data dir", async () => {
    const first = await startMailbox({ port: 0, dataDir: dir, apiKey: API_KEY });
    const { id } = await sendMail({
      apiUrl: first.url,
      apiKey: API_KEY,
      from: "Demo <no-reply@example.com>",
      to: "persist@example.com",
      subject: "survives",
      text: "still here",
    });
    await first.close();

    const second = await startMailbox({ port: 0, dataDir: dir, apiKey: API_KEY });
    try {
      const messages = await list(second.url, "persist@example.com");
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatchObject({ id, subject: "survives", text: "still here" });
    } finally {
      await second.close();
    }
  });

  it("sendMail throws typed errors", async () => {
    const mailbox = await startMailbox({ port: 0, dataDir: "memory://", apiKey: API_KEY });
    const base = { from: "a@example.com", to: "b@example.com", subject: "s", text: "t" };
    try {
      await expect(sendMail({ ...base, apiUrl: mailbox.url, apiKey: "wrong-wrong-wrong-wrong" })).rejects.toMatchObject({
        code: "mail_rejected",
        status: 401,
      });
    } finally {
      await mailbox.close();
    }
    const error = await sendMail({ ...base, apiUrl: mailbox.url, apiKey: API_KEY }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailDeliveryError);
    expect((error as MailDeliveryError).code).toBe("mail_unreachable");
  });

  it("refuses short API keys", async () => {
    await expect(startMailbox({ port: 0, dataDir: "memory://", apiKey: "short" })).rejects.toMatchObject({
      code: "mailbox_config_invalid",
    });
  });
});
