// Moca AIR Kit, custom auth ("Partner JWT"). The server mints the partner token; the
// browser hands it to AIR (the SDK, or an AIR-compatible API); the server then verifies
// AIR's session token and records the wallet.
import "server-only";
import { z } from "zod";
import { AppError } from "@/lib/http/errors";
import type { WalletConnection } from "@/lib/store/types";
import { decodeForDisplay } from "@/lib/tokens/decode";
import { mintPartnerToken } from "@/lib/tokens/partner-token";
import { signMessageActions } from "@/lib/wallets/signing/actions";
import { readData, type StoredData } from "@/lib/wallets/card";
import { defineAction, type WalletProvider } from "@/lib/wallets/types";
import { AIRKIT_NAME, airkitCard, airkitData } from "./card";
import { airUserDetailsSchema } from "./schema";
import { verifyAirToken } from "./verify-air-token";

type AirkitData = StoredData<typeof airkitData>;

/** Statuses that mean "AIR verified a session for this user" (with or without an address yet). */
const SESSION_STATUSES: readonly WalletConnection["status"][] = ["connected", "connected_without_address"];

export const airkitProvider: WalletProvider = {
  id: "airkit",
  name: AIRKIT_NAME,
  description:
    "AIR Kit checks a token your server signs for you, emails you a code the first time, and gives you an account address once you add a passkey (MFA).",
  sessionEndNote: "When it ends, the wallet shows as expired; reconnecting skips the email code (AIR Kit knows this device).",
  isConfigured: (config) => Boolean(config.airkit),
  card: airkitCard,
  clientConfig: (config) => ({
    partnerId: config.airkit!.partnerId,
    apiUrl: config.airkit!.apiUrl ?? null,
    buildEnv: config.airkit!.buildEnv,
    mailboxUrl: config.demoMailboxUrl ?? null,
  }),
  actions: {
    /** "Sign a test message" (personal_sign through the AIR provider (EIP-1193)), verified here: lib/wallets/signing. */
    ...signMessageActions({ id: "airkit", name: AIRKIT_NAME }),
    /** Mints the partner JWT for the signed-in user. */
    "partner-token": defineAction(z.object({}).strict(), async ({ identity, user: sessionUser, config, store, keySet }) => {
      const air = config.airkit!;
      // AIR keys the account by email and skips its own check on later logins, so the
      // email must already be proven; otherwise anyone could claim someone else's wallet.
      // The app user's email comes first: it was proven by a provider the app trusts (the
      // store marks it verified only then, never on the Firebase emulator's word), and every
      // sign-in method of this person (linked with proof of both) must reach the same AIR
      // account. Else this sign-in's own email, if its provider verified it.
      // The user read by this request's session check, when the caller passes it (one query less).
      const user = sessionUser ?? (await store.getUser(identity.userId));
      const email = user?.emailVerified && user.email ? user.email : identity.emailVerified ? identity.email : null;
      if (!email) {
        throw new AppError(
          "email_not_verified",
          403,
          "AIR Kit uses your email as your account id, and your identity provider has not verified it. Verify your email there, or sign in with a method that has verified it, then try again.",
        );
      }
      const signed = await mintPartnerToken(keySet, {
        partnerId: air.partnerId,
        alg: air.signingAlg,
        subject: { userId: identity.userId, email },
      });
      // A session AIR already verified stays as it is; anything else is pending this login.
      await store.startWalletConnection(
        identity.userId,
        "airkit",
        { partnerToken: decodeForDisplay(signed.token) } satisfies AirkitData,
        SESSION_STATUSES,
      );
      return { token: signed.token, expiresAt: signed.claims.exp * 1000 };
    }),

    /**
     * Records AIR's session once its token checks out. AIR puts the account address in the
     * token only once the user has set up MFA ("User Management",
     * https://docs.moca.network/airkit/usage/user-management), so a verified token without one
     * is a real state: recorded as `connected_without_address`, and the browser offers MFA
     * set-up, after which it sends a fresh token here.
     */
    session: defineAction(
      // User info is display-only: a shape the app does not know is dropped, never an error.
      z.object({ token: z.string().min(10).max(8192), userInfo: z.unknown().optional() }).strict(),
      async ({ identity, config, store }, { token, userInfo: rawUserInfo }) => {
        const air = config.airkit!;
        const claims = await verifyAirToken(token, {
          jwksUrl: air.jwksUrl,
          partnerId: air.partnerId,
          userId: identity.userId,
          issuer: air.tokenIssuer,
        });
        // One AIR account, one app user, for good (verify-air-token.ts explains why): without
        // `partnerUserId` this is the only thing tying the account to this user, and with it a
        // consistency check.
        const owner = await store.claimWalletAccount("airkit", claims.sub, identity.userId);
        if (owner !== identity.userId) {
          throw new AppError(
            "air_account_taken",
            409,
            "This AIR Kit account is already linked to another user of this app. Sign out of AIR Kit and connect again as yourself.",
          );
        }
        // User info comes from the browser: shown only, and only if it describes the same account.
        const userInfo = airUserDetailsSchema.safeParse(rawUserInfo);
        const info = userInfo.success && userInfo.data.user.id === claims.sub ? userInfo.data : undefined;
        const address = claims.abstractAccountAddress ?? null;
        // An address in AIR's token means MFA is set up; otherwise only AIR's user info can say.
        const isMFASetup = address !== null ? true : (info?.user.isMFASetup ?? null);
        const previous = await store.getWalletConnection(identity.userId, "airkit");
        await store.upsertWalletConnection({
          userId: identity.userId,
          provider: "airkit",
          status: address !== null ? "connected" : "connected_without_address",
          address,
          expiresAt: new Date(claims.exp * 1000),
          data: {
            // The partner token of this login stays on the card beside AIR's answer.
            partnerToken: previous ? readData(airkitData, previous.data).partnerToken : undefined,
            airUserId: claims.sub,
            isMFASetup,
            claims,
            userInfo: info ?? null,
          } satisfies AirkitData,
        });
        return { address, isMFASetup, expiresAt: claims.exp * 1000 };
      },
    ),
  },
};
