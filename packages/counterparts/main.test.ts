// providers: identity/oidc identity/password identity/firebase identity/supabase wallet/airkit wallet/alchemy wallet/moojo wallet/turnkey
/**
 * startCounterparts and the registry: fixed ports per name, what the launcher leaves to a real
 * service, needs started along (with only the variables a developer would set), secrets checked
 * before anything starts, the registry's one-line-per-counterpart format (prune edits it), and
 * the dev secrets of `npm run counterparts` shared with the app's file.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { SEEDED_USERS } from "./lib/demo-users";
import { ensureCounterpartSecrets } from "./lib/dev-secrets";
import { SWEEP_INTERVAL_MS, startSweepSchedule } from "./lib/sweep-schedule";
import { COUNTERPART_NAMES, counterpartPorts, counterpartSecrets, counterpartsToStart, startCounterparts, withNeeds } from "./main";
import { COUNTERPARTS } from "./registry";

const scratch = mkdtempSync(path.join(tmpdir(), "counterparts-main-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the registry", () => {
  it("keeps each name on its port: base + 1…8, as the launcher always had them", () => {
    expect(counterpartPorts(3100)).toEqual({
      oidc: 3101,
      airkit: 3102,
      mailbox: 3103,
      firebase: 3104,
      supabase: 3105,
      moojo: 3106,
      alchemy: 3107,
      turnkey: 3108,
    });
  });

  it("names each counterpart on one import line and one entry line, nowhere else", () => {
    const source = readFileSync(fileURLToPath(new URL("./registry.ts", import.meta.url)), "utf8");
    for (const name of COUNTERPART_NAMES) {
      const lines = source.split("\n").filter((line) => line.includes(`/${name}/`) || line.trimStart().startsWith(`${name}:`));
      expect(lines).toEqual([
        expect.stringMatching(new RegExp(`^import .* from "\\./${name}/`)),
        expect.stringMatching(new RegExp(`^  ${name}: `)),
      ]);
    }
  });

  it("lists only known names in needs, without cycles", () => {
    for (const [name, d] of Object.entries(COUNTERPARTS)) {
      for (const need of d.needs ?? []) expect(COUNTERPART_NAMES, `${name} needs ${need}`).toContain(need);
    }
    expect(withNeeds(COUNTERPART_NAMES)).toEqual(COUNTERPART_NAMES);
  });
});

describe("what the launcher starts", () => {
  it("everything when nothing real is configured (the test stack clears the variables to empty strings)", () => {
    expect(counterpartsToStart({})).toEqual(COUNTERPART_NAMES);
    expect(counterpartsToStart({ AUTH_OIDC_ISSUER: "", FIREBASE_PROJECT_ID: "" })).toEqual(COUNTERPART_NAMES);
  });

  it("leaves a configured real service alone; Moojo goes with the emulator it trusts", () => {
    const start = counterpartsToStart({
      AUTH_OIDC_ISSUER: "https://id.example",
      FIREBASE_PROJECT_ID: "real-project",
      MAIL_API_URL: "https://api.resend.com",
    });
    expect(start).toEqual(["airkit", "supabase", "alchemy", "turnkey"]);
    // The mailbox still runs for the counterparts that mail codes, but the app keeps its real mail API.
    expect(withNeeds(start)).toEqual(["airkit", "mailbox", "supabase", "alchemy", "turnkey"]);
  });

  it("needs secrets for what it starts, including what that needs", () => {
    expect(counterpartSecrets(["airkit"]).flatMap((s) => s.names)).toEqual(["MAIL_API_KEY"]);
    expect(counterpartSecrets(["moojo"]).flatMap((s) => s.names)).toEqual(["MOOJO_API_KEY"]);
  });
});

describe("startCounterparts", () => {
  it("refuses before starting anything when a secret is missing", async () => {
    await expect(
      startCounterparts({ appUrl: "http://localhost:3000", dataDir: "memory://", portBase: 0, secrets: {}, start: ["alchemy"] }),
    ).rejects.toThrow("missing dev secrets ALCHEMY_API_KEY");
  });

  it("starts what was asked and what it needs; a needed-only mailbox does not take over the app's mail", async () => {
    const secrets = ensureCounterpartSecrets(path.join(scratch, "start"), counterpartSecrets(["airkit", "alchemy"]));
    const lines: string[] = [];
    // Port base 0: each service on a kernel-chosen port (base + offset would collide between test files).
    const running = await startCounterparts({
      appUrl: "http://localhost:3999",
      dataDir: path.join(scratch, "start", "counterparts"),
      portBase: 0,
      secrets,
      start: ["airkit", "alchemy"],
      log: (line) => lines.push(line),
    });
    try {
      expect(running.services.map((s) => s.name).sort()).toEqual(["airkit", "alchemy", "mailbox"].sort());
      expect(Object.keys(running.env).sort()).toEqual(
        ["AIRKIT_API_URL", "AIRKIT_PARTNER_ID", "ALCHEMY_API_KEY", "ALCHEMY_API_URL", "ALCHEMY_AUDIENCE", "DEMO_MAILBOX_URL"].sort(),
      );
      expect(running.env.ALCHEMY_API_KEY).toBe(secrets.ALCHEMY_API_KEY);
      expect(await fetch(`${running.env.DEMO_MAILBOX_URL}/`).then((r) => r.status)).toBe(200);
      expect(lines.find((l) => l.startsWith("air kit"))).toMatch(/^air kit {10}http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await running.close();
    }
    // Three PGlite databases on disk open here; on a busy machine that takes a while.
  }, 120_000);
});

describe("DEMO_ACCOUNTS for the app's /signin", () => {
  it("lists the OpenID Provider's public demo people with the sign-in method that accepts them", async () => {
    const secrets = ensureCounterpartSecrets(path.join(scratch, "demo-accounts"), counterpartSecrets(["oidc"]));
    const running = await startCounterparts({
      appUrl: "http://localhost:3999",
      dataDir: path.join(scratch, "demo-accounts", "counterparts"),
      portBase: 0,
      secrets,
      start: ["oidc"],
    });
    try {
      const accounts = JSON.parse(running.env.DEMO_ACCOUNTS!) as { email: string; password: string; signInMethods: string[] }[];
      expect(accounts.map((a) => a.email)).toEqual(SEEDED_USERS.map((u) => u.email));
      expect(accounts[0]).toEqual({ email: "ada@example.com", password: "correct horse battery", signInMethods: ["oidc"] });
      expect(accounts.find((a) => a.email === "mallory@example.com")).toMatchObject({ note: expect.stringContaining("not verified") });
    } finally {
      await running.close();
    }
  });

  it("is not set when no started counterpart has demo people", async () => {
    const secrets = ensureCounterpartSecrets(path.join(scratch, "no-demo-accounts"), counterpartSecrets(["mailbox"]));
    const running = await startCounterparts({
      appUrl: "http://localhost:3999",
      // Not "memory://": startCounterparts joins each name onto dataDir (it would write ./memory:/<name>).
      dataDir: path.join(scratch, "no-demo-accounts", "counterparts"),
      portBase: 0,
      secrets,
      start: ["mailbox"],
    });
    try {
      expect(running.env).not.toHaveProperty("DEMO_ACCOUNTS");
    } finally {
      await running.close();
    }
  });
});

describe("the retention schedule (dataMaxAgeHours)", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const HOUR = 3600_000;

  it("sweeps at start and then hourly with the cutoff moving along; a failure is logged and the others still run", async () => {
    vi.useFakeTimers({ now: Date.UTC(2030, 0, 1), toFake: ["setInterval", "clearInterval", "Date"] });
    const cutoffs: string[] = [];
    const lines: string[] = [];
    let failures = 1;
    const schedule = startSweepSchedule({
      maxAgeHours: 24,
      log: (line) => lines.push(line),
      targets: [
        {
          name: "flaky",
          sweep: () => (failures-- > 0 ? Promise.reject(new Error("database is down")) : Promise.resolve({ removed: 0 })),
        },
        {
          name: "steady",
          sweep: (before) => {
            cutoffs.push(before.toISOString());
            return Promise.resolve({ removed: 2 });
          },
        },
      ],
    });
    await schedule.firstRun;
    expect(cutoffs).toEqual(["2029-12-31T00:00:00.000Z"]);
    expect(lines).toEqual([
      "retention: flaky sweep failed, will try again: database is down",
      "retention: steady removed 2 record(s) created before 2029-12-31T00:00:00.000Z",
    ]);

    await vi.advanceTimersByTimeAsync(SWEEP_INTERVAL_MS - 1);
    expect(cutoffs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(cutoffs).toEqual(["2029-12-31T00:00:00.000Z", "2029-12-31T01:00:00.000Z"]);
    // The flaky one recovered: no new failure line.
    expect(lines.filter((l) => l.includes("failed"))).toHaveLength(1);

    await schedule.stop();
    await vi.advanceTimersByTimeAsync(5 * HOUR);
    expect(cutoffs).toHaveLength(2);
  });

  it("never overlaps runs, and stop() waits for the run in progress", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    let release: () => void = () => undefined;
    let started = 0;
    let finished = 0;
    const schedule = startSweepSchedule({
      maxAgeHours: 1,
      log: () => undefined,
      targets: [
        {
          name: "slow",
          sweep: async () => {
            started++;
            await new Promise<void>((resolve) => (release = resolve));
            finished++;
            return { removed: 0 };
          },
        },
      ],
    });
    await vi.advanceTimersByTimeAsync(3 * SWEEP_INTERVAL_MS);
    expect(started).toBe(1);
    const stopped = schedule.stop();
    let stopResolved = false;
    void stopped.then(() => (stopResolved = true));
    await Promise.resolve();
    expect(stopResolved).toBe(false);
    release();
    await stopped;
    expect(finished).toBe(1);
    await schedule.firstRun;
  });

  it("refuses a non-positive age before starting anything", async () => {
    await expect(
      startCounterparts({
        appUrl: "http://localhost:3000",
        dataDir: "memory://",
        portBase: 0,
        secrets: { MAIL_API_KEY: "x".repeat(20) },
        start: ["mailbox"],
        dataMaxAgeHours: 0,
      }),
    ).rejects.toThrow(RangeError);
  });

  it("startCounterparts runs the started counterparts' sweeps at start: old mail goes, later mail stays", async () => {
    const dir = path.join(scratch, "retention");
    const secrets = ensureCounterpartSecrets(dir, counterpartSecrets(["mailbox"]));
    const options = { appUrl: "http://localhost:3999", dataDir: path.join(dir, "counterparts"), portBase: 0, secrets, start: ["mailbox"] };
    const send = (url: string, to: string) =>
      fetch(`${url}/emails`, {
        method: "POST",
        headers: { Authorization: `Bearer ${secrets.MAIL_API_KEY}`, "Content-Type": "application/json" },
        body: JSON.stringify({ from: "no-reply@example.com", to, subject: "code", text: "123456" }),
      }).then((r) => r.status);
    const recipients = async (url: string) =>
      ((await (await fetch(`${url}/api/messages`)).json()) as { messages: { to: string[] }[] }).messages.flatMap((m) => m.to);

    // Without dataMaxAgeHours nothing is swept.
    const first = await startCounterparts(options);
    try {
      expect(await send(first.env.DEMO_MAILBOX_URL!, "old@example.com")).toBe(200);
    } finally {
      await first.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));

    const lines: string[] = [];
    // 36 ms of retention: the message sent before this start is older than that.
    const second = await startCounterparts({ ...options, dataMaxAgeHours: 0.00001, log: (line) => lines.push(line) });
    try {
      expect(lines).toContainEqual(expect.stringMatching(/^retention: mailbox removed 1 record\(s\) created before /));
      expect(await send(second.env.DEMO_MAILBOX_URL!, "new@example.com")).toBe(200);
      // The next run is an hour away: the new message stays.
      expect(await recipients(second.env.DEMO_MAILBOX_URL!)).toEqual(["new@example.com"]);
    } finally {
      await second.close();
    }
  }, 120_000);
});

describe("the dev secrets of `npm run counterparts`", () => {
  it("creates what is missing (mode 0600), keeps what the app's file already holds", () => {
    const dir = path.join(scratch, "secrets");
    const first = ensureCounterpartSecrets(dir, counterpartSecrets());
    expect(Object.keys(first).sort()).toEqual(
      [
        "ALCHEMY_API_KEY",
        "MAIL_API_KEY",
        "MOOJO_API_KEY",
        "OIDC_CLIENT_SECRET",
        "SUPABASE_PUBLISHABLE_KEY",
        "TURNKEY_API_PRIVATE_KEY",
        "TURNKEY_API_PUBLIC_KEY",
      ].sort(),
    );
    expect(first.TURNKEY_API_PRIVATE_KEY).toMatch(/^[0-9a-f]{64}$/);
    expect(first.TURNKEY_API_PUBLIC_KEY).toMatch(/^0[23][0-9a-f]{64}$/);
    const file = path.join(dir, "dev-secrets.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);

    // The app's dev defaults wrote AUTH_SECRET and another OIDC secret: both stay as they are.
    const appFile = { ...first, AUTH_SECRET: "from-the-app", OIDC_CLIENT_SECRET: "app-chose-this" };
    delete (appFile as Record<string, string>).MOOJO_API_KEY;
    writeFileSync(file, JSON.stringify(appFile));
    const again = ensureCounterpartSecrets(dir, counterpartSecrets());
    expect(again).toMatchObject({
      AUTH_SECRET: "from-the-app",
      OIDC_CLIENT_SECRET: "app-chose-this",
      ALCHEMY_API_KEY: first.ALCHEMY_API_KEY,
    });
    expect(again.MOOJO_API_KEY).toMatch(/^mj_dev_/);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(again);
  });
});
