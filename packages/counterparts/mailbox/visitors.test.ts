/**
 * The public demo's mailbox (per-visitor mode): who sees which message (the rules and threat
 * model are in ./store.ts), the `tags` Resend accepts, and what the inbox page says.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../lib/db";
import { startCounterparts } from "../main";
import { DEMO_VISITOR_HEADER, DEMO_VISITOR_TAG, newVisitorId } from "../lib/visitor";
import { MAX_TAGS, startMailbox, type MailboxService } from "./index";
import { PER_VISITOR_NOTE } from "./page";
import { MAILBOX_MIGRATIONS, MessageStore } from "./store";

const API_KEY = "visitor-test-mailbox-key-0123456789";
const base = { from: "Demo <no-reply@example.com>", subject: "Your code", text: "Your code is 123456" };
let counter = 0;
/** A fresh address no earlier test has used. */
const fresh = (label: string) => `${label}-${++counter}-${Date.now()}@example.com`;

async function send(mailbox: MailboxService, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${mailbox.url}/emails`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${API_KEY}`, ...headers },
    body: JSON.stringify({ ...base, ...body }),
  });
}

/** Sends as `visitor` (a demo_visitor tag; none when undefined) and returns the new message's id. */
async function mail(mailbox: MailboxService, to: string | string[], visitor?: string): Promise<string> {
  const response = await send(mailbox, { to, ...(visitor ? { tags: [{ name: DEMO_VISITOR_TAG, value: visitor }] } : {}) });
  expect(response.status).toBe(200);
  return ((await response.json()) as { id: string }).id;
}

async function idsSeenBy(mailbox: MailboxService, visitor: string | undefined, to?: string): Promise<string[]> {
  const response = await fetch(`${mailbox.url}/api/messages${to ? `?to=${encodeURIComponent(to)}` : ""}`, {
    headers: visitor ? { [DEMO_VISITOR_HEADER]: visitor } : {},
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { messages: { id: string }[] }).messages.map((m) => m.id);
}

describe("per-visitor mode", () => {
  let mailbox: MailboxService;
  const logged: string[] = [];
  const alice = newVisitorId();
  const bob = newVisitorId();

  beforeAll(async () => {
    mailbox = await startMailbox({
      port: 0,
      dataDir: "memory://",
      apiKey: API_KEY,
      perVisitor: true,
      logger: { info: (line: string) => logged.push(line) },
    });
  });
  afterAll(async () => {
    await mailbox.close();
  });

  it("shows a visitor the mail their request caused, to an address nobody had used, and no one else", async () => {
    const address = fresh("first");
    const id = await mail(mailbox, address, alice);
    expect(await idsSeenBy(mailbox, alice)).toContain(id);
    expect(await idsSeenBy(mailbox, bob)).not.toContain(id);
    expect(await idsSeenBy(mailbox, undefined)).toEqual([]);
  });

  it("keeps an address for its first visitor: a code another visitor asks for goes to the owner (no takeover)", async () => {
    const address = fresh("owned");
    const first = await mail(mailbox, address, alice);
    const bobsAttempt = await mail(mailbox, address, bob);
    // Case and display name do not make it another address.
    const again = await mail(mailbox, `Alice <${address.toUpperCase()}>`, bob);
    expect(await idsSeenBy(mailbox, alice, address)).toEqual([again, bobsAttempt, first]);
    expect(await idsSeenBy(mailbox, bob, address)).toEqual([]);
  });

  it("shows mail that names no visitor to the address's owner only", async () => {
    const address = fresh("untagged-owned");
    await mail(mailbox, address, alice);
    const untagged = await mail(mailbox, address);
    expect(await idsSeenBy(mailbox, alice, address)).toContain(untagged);
    expect(await idsSeenBy(mailbox, bob, address)).toEqual([]);
  });

  it("holds mail that names no visitor, to an address nobody owns, for the first visitor who opens that address", async () => {
    const address = fresh("orphan");
    const orphan = await mail(mailbox, address);
    expect(logged.some((line) => line.includes(orphan) && line.includes("shown to no visitor"))).toBe(true);
    // Listing without opening the address claims nothing and shows nothing.
    expect(await idsSeenBy(mailbox, bob)).not.toContain(orphan);
    // Bob opens it first (the app's mailbox link carries ?to=): his, with what waited for him.
    expect(await idsSeenBy(mailbox, bob, address)).toEqual([orphan]);
    const later = await mail(mailbox, address);
    expect(await idsSeenBy(mailbox, bob, address)).toEqual([later, orphan]);
    // Alice comes second: told it is taken, shown nothing, and her own request's code goes to Bob.
    const taken = await fetch(`${mailbox.url}/api/messages?to=${encodeURIComponent(address)}`, {
      headers: { [DEMO_VISITOR_HEADER]: alice },
    });
    expect(await taken.json()).toEqual({ messages: [], addressTaken: true });
    const alicesRequest = await mail(mailbox, address, alice);
    expect(await idsSeenBy(mailbox, alice, address)).toEqual([]);
    expect(await idsSeenBy(mailbox, bob, address)).toEqual([alicesRequest, later, orphan]);
    const page = await (
      await fetch(`${mailbox.url}/?to=${encodeURIComponent(address)}`, { headers: { [DEMO_VISITOR_HEADER]: alice } })
    ).text();
    expect(page).toContain('data-testid="inbox-taken"');
    expect(page).not.toContain('data-testid="message"');
  });

  it("never gives an address to a visitor by viewing when a tagged message already claimed it", async () => {
    const address = fresh("tag-first");
    const bobs = await mail(mailbox, address, bob);
    expect(await idsSeenBy(mailbox, alice, address)).toEqual([]);
    expect(await idsSeenBy(mailbox, bob, address)).toEqual([bobs]);
  });

  it("never lets anyone own a seeded demo user's address: each visitor sees only the codes they asked for", async () => {
    const ada = "ada@example.com";
    const forAlice = await mail(mailbox, ada, alice);
    const forBob = await mail(mailbox, ada, bob);
    const forAliceAgain = await mail(mailbox, "Ada Lovelace <ADA@example.com>", alice);
    expect(await idsSeenBy(mailbox, alice, ada)).toEqual([forAliceAgain, forAlice]);
    expect(await idsSeenBy(mailbox, bob, ada)).toEqual([forBob]);
    // A code whose cause is unknown (a cross-origin call carries no cookie) goes to everyone:
    // anyone may sign in as a public demo user, so it gives nobody anything new.
    const untagged = await mail(mailbox, ada);
    expect(await idsSeenBy(mailbox, alice, ada)).toEqual([untagged, forAliceAgain, forAlice]);
    expect(await idsSeenBy(mailbox, bob, ada)).toEqual([untagged, forBob]);
    expect(await idsSeenBy(mailbox, undefined, ada)).toEqual([]);
  });

  it("shows a message with several recipients only when they all lead to the same visitor, and still records the claims", async () => {
    const alices = fresh("multi-owned");
    await mail(mailbox, alices, alice);
    const unclaimed = fresh("multi-new");
    const mixed = await mail(mailbox, [alices, unclaimed], bob);
    expect(await idsSeenBy(mailbox, alice)).not.toContain(mixed);
    expect(await idsSeenBy(mailbox, bob)).not.toContain(mixed);
    // Bob's request was the first to mail `unclaimed`: it is his now.
    const later = await mail(mailbox, unclaimed, alice);
    expect(await idsSeenBy(mailbox, bob, unclaimed)).toEqual([later]);
    const bobsOwn = await mail(mailbox, [unclaimed, "grace@example.com"], bob);
    expect(await idsSeenBy(mailbox, bob, unclaimed)).toEqual([bobsOwn, later]);
  });

  it("takes the visitor from the x-demo-visitor header of a sender that cannot tag (the app's own mailer); a tag wins over it", async () => {
    const byHeader = fresh("header");
    const response = await send(mailbox, { to: byHeader }, { [DEMO_VISITOR_HEADER]: alice });
    const { id } = (await response.json()) as { id: string };
    expect(await idsSeenBy(mailbox, alice, byHeader)).toEqual([id]);

    const both = fresh("both");
    const tagged = await send(mailbox, { to: both, tags: [{ name: DEMO_VISITOR_TAG, value: bob }] }, { [DEMO_VISITOR_HEADER]: alice });
    const taggedId = ((await tagged.json()) as { id: string }).id;
    expect(await idsSeenBy(mailbox, bob, both)).toEqual([taggedId]);
    expect(await idsSeenBy(mailbox, alice, both)).toEqual([]);

    // A malformed header names nobody: the mail waits, and nobody owns the address yet.
    const malformed = fresh("malformed-header");
    const malformedId = ((await (await send(mailbox, { to: malformed }, { [DEMO_VISITOR_HEADER]: "short" })).json()) as { id: string }).id;
    expect(await idsSeenBy(mailbox, alice)).not.toContain(malformedId);
    // So the first to open the address (Bob, not Alice whose header it was) gets it.
    expect(await idsSeenBy(mailbox, bob, malformed)).toEqual([malformedId]);
  });

  it("never shows a visitor id or an owner in the API or the page (an id is the key to that visitor's mail)", async () => {
    const address = fresh("no-leak");
    await mail(mailbox, address, alice);
    await mail(mailbox, address, bob);
    const api = await (await fetch(`${mailbox.url}/api/messages`, { headers: { [DEMO_VISITOR_HEADER]: alice } })).text();
    const page = await (await fetch(`${mailbox.url}/`, { headers: { [DEMO_VISITOR_HEADER]: alice } })).text();
    for (const text of [api, page]) {
      expect(text).toContain(address);
      expect(text).not.toContain(bob);
      expect(text).not.toContain(alice);
    }
  });

  it("says on the page that it shows this browser's mail, and explains an empty inbox", async () => {
    const stranger = newVisitorId();
    const page = await (await fetch(`${mailbox.url}/`, { headers: { [DEMO_VISITOR_HEADER]: stranger } })).text();
    expect(page.replace(/<[^>]+>/g, "")).toContain(PER_VISITOR_NOTE);

    const address = fresh("page");
    const filtered = await (
      await fetch(`${mailbox.url}/?to=${encodeURIComponent(address)}`, { headers: { [DEMO_VISITOR_HEADER]: stranger } })
    ).text();
    const text = filtered.replace(/<[^>]+>/g, "");
    expect(filtered).toContain('data-testid="inbox-empty"');
    expect(text).toContain(`No messages to ${address} for this browser yet.`);
    expect(text).toContain("mail owns it for a day, and nobody else sees that mail");
    expect(filtered.match(/data-testid="message"/g)).toBeNull();

    await mail(mailbox, address, stranger);
    const withOne = await (
      await fetch(`${mailbox.url}/?to=${encodeURIComponent(address)}`, { headers: { [DEMO_VISITOR_HEADER]: stranger } })
    ).text();
    expect(withOne.match(/data-testid="message"/g)).toHaveLength(1);
    expect(withOne).toContain(address);
  });
});

describe("outside per-visitor mode", () => {
  it("lists everything, tagged or not, and the page says nothing about visitors", async () => {
    const mailbox = await startMailbox({ port: 0, dataDir: "memory://", apiKey: API_KEY });
    try {
      const tagged = await mail(mailbox, fresh("open"), newVisitorId());
      const untagged = await mail(mailbox, fresh("open"));
      expect(await idsSeenBy(mailbox, undefined)).toEqual([untagged, tagged]);
      expect(await idsSeenBy(mailbox, newVisitorId())).toEqual([untagged, tagged]);
      const page = await (await fetch(`${mailbox.url}/`)).text();
      expect(page).not.toContain('data-testid="inbox-scope"');
    } finally {
      await mailbox.close();
    }
  });
});

describe("the launcher's perVisitor option", () => {
  it.each([
    [true, 0],
    [false, 1],
  ])(
    "perVisitor: %s reaches the mailbox descriptor (a request without a visitor sees %i messages)",
    async (perVisitor, seen) => {
      const secrets = { MAIL_API_KEY: API_KEY };
      const dataDir = await mkdtemp(path.join(tmpdir(), "mailbox-launcher-"));
      const running = await startCounterparts({
        appUrl: "http://localhost:3000",
        dataDir,
        portBase: 0,
        secrets,
        start: ["mailbox"],
        perVisitor,
      });
      try {
        const url = running.env.DEMO_MAILBOX_URL!;
        const response = await fetch(`${url}/emails`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Authorization: `Bearer ${API_KEY}` },
          body: JSON.stringify({ ...base, to: fresh("launcher") }),
        });
        expect(response.status).toBe(200);
        const listed = (await (await fetch(`${url}/api/messages`)).json()) as { messages: unknown[] };
        expect(listed.messages).toHaveLength(seen);
      } finally {
        await running.close();
        await rm(dataDir, { recursive: true, force: true });
      }
      // An on-disk database (the launcher joins a folder per counterpart), which takes a while to create.
    },
    60_000,
  );
});

describe("tags on POST /emails", () => {
  let mailbox: MailboxService;
  beforeAll(async () => {
    const logger = { info: () => undefined };
    mailbox = await startMailbox({ port: 0, dataDir: "memory://", apiKey: API_KEY, perVisitor: true, logger });
  });
  afterAll(async () => {
    await mailbox.close();
  });

  const id = newVisitorId();
  it.each([
    ["not an array", { name: "category", value: "x" }],
    ["a name with a space", [{ name: "my tag", value: "x" }]],
    ["a value with a dot", [{ name: "category", value: "a.b" }]],
    ["a non-ASCII name", [{ name: "catégorie", value: "x" }]],
    ["an empty name", [{ name: "", value: "x" }]],
    ["no name", [{ value: "x" }]],
    ["a 257-character name", [{ name: "n".repeat(257), value: "x" }]],
    ["a 257-character value", [{ name: "category", value: "v".repeat(257) }]],
    ["a value that is not a string", [{ name: "category", value: 5 }]],
    [`more than ${MAX_TAGS}`, Array.from({ length: MAX_TAGS + 1 }, (_, i) => ({ name: `t${i}`, value: "x" }))],
    [
      `two ${DEMO_VISITOR_TAG} tags`,
      [
        { name: DEMO_VISITOR_TAG, value: id },
        { name: DEMO_VISITOR_TAG, value: newVisitorId() },
      ],
    ],
    [`a ${DEMO_VISITOR_TAG} that is not a visitor id`, [{ name: DEMO_VISITOR_TAG, value: "too-short" }]],
    [`a ${DEMO_VISITOR_TAG} without a value`, [{ name: DEMO_VISITOR_TAG }]],
  ])("400 validation_error for %s", async (_name, tags) => {
    const response = await send(mailbox, { to: fresh("tags"), tags });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("validation_error");
    expect(body.error.message).toMatch(/^tags/);
  });

  it("accepts other tags (256-character names and values, a tag without a value) and ignores them", async () => {
    const address = fresh("other-tags");
    const tags = [
      { name: "category", value: "confirm_email" },
      { name: "n".repeat(256), value: "V-_9".repeat(64) },
      { name: "flag" },
      { name: DEMO_VISITOR_TAG, value: id },
    ];
    const response = await send(mailbox, { to: address, tags });
    expect(response.status).toBe(200);
    const { id: messageId } = (await response.json()) as { id: string };
    expect(await idsSeenBy(mailbox, id, address)).toEqual([messageId]);
    const untaggedByUs = await send(mailbox, { to: fresh("other-tags"), tags: tags.slice(0, 3) });
    expect(untaggedByUs.status).toBe(200);
  });
});

describe("ownership lasts across restarts and ages out with the demo's data", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "mailbox-visitors-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps who owns an address, and who sees what, on the same data dir", async () => {
    const alice = newVisitorId();
    const bob = newVisitorId();
    const address = fresh("restart");
    const first = await startMailbox({ port: 0, dataDir: dir, apiKey: API_KEY, perVisitor: true });
    const id = await mail(first, address, alice);
    await first.close();

    const second = await startMailbox({ port: 0, dataDir: dir, apiKey: API_KEY, perVisitor: true });
    try {
      const bobs = await mail(second, address, bob);
      expect(await idsSeenBy(second, alice, address)).toEqual([bobs, id]);
      expect(await idsSeenBy(second, bob, address)).toEqual([]);
    } finally {
      await second.close();
    }
  });

  it("sweepCreatedBefore frees addresses claimed before the cutoff and removes older mail; later mail keeps its viewer", async () => {
    let now = new Date("2030-01-01T00:00:00Z");
    const db = await openDatabase("memory://", MAILBOX_MIGRATIONS);
    const store = new MessageStore(db, ["ada@example.com"], () => now);
    const [alice, bob] = [newVisitorId(), newVisitorId()];
    try {
      const old = await store.add({ ...base, to: ["kept@example.com"], visitor: alice });
      now = new Date("2030-01-01T20:00:00Z");
      const recent = await store.add({ ...base, to: ["kept@example.com"], visitor: bob });
      expect(recent.visibleToSomeone).toBe(true);
      expect((await store.list({ viewer: alice })).map((m) => m.id)).toEqual([recent.message.id, old.message.id]);

      expect(await store.sweepCreatedBefore(new Date("2030-01-01T12:00:00Z"))).toEqual({ messages: 1, owners: 1 });
      // Alice's later mail stays hers; the address is free, so Bob's next request claims it.
      expect((await store.list({ viewer: alice })).map((m) => m.id)).toEqual([recent.message.id]);
      now = new Date("2030-01-01T21:00:00Z");
      const claimed = await store.add({ ...base, to: ["kept@example.com"], visitor: bob });
      expect((await store.list({ viewer: bob })).map((m) => m.id)).toEqual([claimed.message.id]);
      expect(await store.sweepCreatedBefore(new Date("2030-01-01T12:00:00Z"))).toEqual({ messages: 0, owners: 0 });
    } finally {
      await db.close();
    }
  });
});
