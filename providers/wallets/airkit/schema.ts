// What Moca AIR Kit documents on the wire, as zod schemas. No `server-only`: the AIR Kit
// counterpart's tests (packages/counterparts/airkit) validate its answers against these same schemas, and
// providers/wallets/airkit/fixtures holds the documentation's own examples that they must accept.
//
// Sources (each schema names its page):
// - "User Login & Sessions" https://docs.moca.network/airkit/usage/user-authentication
// - "User Management"       https://docs.moca.network/airkit/usage/user-management
// - "Bring Your Own Auth"   https://docs.moca.network/recipes/custom-auth-integration
// - the SDK's own types: node_modules/@mocanetwork/airkit/dist/types/interfaces.d.ts
//
// Unknown members are accepted and ignored everywhere (zod strips them): a service may add
// fields without breaking a client. Optional members are optional, never required.
import { z } from "zod";

/** An EVM address, any letter case (the checksum is not verified, only the shape). */
export const evmAddressSchema = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte hex address");

const id = z.string().min(1).max(256);
const seconds = z.number().int().nonnegative();

/**
 * Claims of the `token` in AIR's login result ("User Login & Sessions"): `sub`,
 * `abstractAccountAddress`, `partnerId`, `partnerUserId?`, `sourcePartnerId?`. The page lists no
 * `aud`, `iss`, `typ` or `jti`, so none is required. "User Management" adds that the address is
 * in the token only once the user has set up MFA, hence optional here. `exp` and `iat` are the
 * registered JWT time claims; their presence is policy of the verifier (verify-air-token.ts),
 * not part of this shape.
 */
export const airTokenClaimsSchema = z.object({
  sub: id,
  abstractAccountAddress: evmAddressSchema.optional(),
  /** AIR's audience: the partner the session is for. */
  partnerId: id,
  /** The partner's own user id, when AIR has one for this account. */
  partnerUserId: id.optional(),
  /** Set when the session was shared from another partner's app (`goToPartner`). */
  sourcePartnerId: id.optional(),
  exp: seconds.optional(),
  iat: seconds.optional(),
});
export type AirTokenClaims = z.infer<typeof airTokenClaimsSchema>;

/** `AirIdDetails` (SDK types): shown, never relied on. */
const airIdSchema = z.object({
  id: z.string().max(256).optional(),
  name: z.string().max(256).optional(),
  node: z.string().max(256).optional(),
  status: z.string().max(32).optional(),
  chainId: z.number().optional(),
  imageUrl: z.string().max(2048).optional(),
});

/**
 * `getUserInfo()` ("User Management"; SDK `AirUserDetails`). The page's two renderings differ on
 * whether `partnerId`/`partnerUserId` are optional; the SDK marks both optional, so they are.
 */
export const airUserDetailsSchema = z.object({
  partnerId: id.optional(),
  partnerUserId: id.optional(),
  airId: airIdSchema.optional(),
  user: z.object({
    id,
    abstractAccountAddress: evmAddressSchema.optional(),
    email: z.string().max(254).optional(),
    wallet: z.string().max(256).optional(),
    isMFASetup: z.boolean(),
  }),
});
export type AirUserDetailsShape = z.infer<typeof airUserDetailsSchema>;

/** `AirLoginResult` (SDK types; "User Login & Sessions"). */
export const airLoginResultSchema = z.object({
  isLoggedIn: z.boolean(),
  id,
  abstractAccountAddress: evmAddressSchema.optional(),
  abstractAccountAddresses: z.array(z.object({ address: evmAddressSchema, chainIds: z.array(z.string().max(64)) })).optional(),
  token: z.string().min(10).max(8192),
  isMFASetup: z.boolean(),
});

/**
 * The Partner JWT payload AIR accepts ("Bring Your Own Auth", "Partner Authentication"):
 * `partnerId` always; `email` for custom auth; `partnerUserId` recommended; `exp` required
 * (5 minutes recommended); `iat` shown in every example.
 */
export const partnerTokenPayloadSchema = z.object({
  partnerId: id,
  email: z.string().max(254).optional(),
  partnerUserId: id.optional(),
  exp: seconds,
  iat: seconds.optional(),
});
