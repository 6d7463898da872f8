/**
 * Request shapes, as `@turnkey/sdk-server` 8.x sends them (types from `@turnkey/sdk-types`).
 * Unknown members are stripped, not refused: Turnkey adds optional members often and the
 * SDK sends some we do not model (`generateAppProofs`, customization blocks).
 *
 * Bounds are ours: generous for real clients, small enough to keep hostile input cheap.
 */
import { z } from "zod";

const id = z.string().min(1).max(128);
const name = z.string().min(1).max(256);
/** Turnkey sends durations as decimal strings; numbers are tolerated. */
const seconds = z.union([z.string().regex(/^[0-9]{1,9}$/), z.number().int().nonnegative().max(999_999_999)]).transform(Number);
/** No control characters: these end up in email subjects and bodies. */
const printable = z.string().regex(/^[^\p{Cc}]*$/u, "must not contain control characters");

export const activityEnvelope = z.object({
  type: z.string().min(1).max(128),
  timestampMs: z.string().regex(/^[0-9]{1,16}$/, "must be milliseconds as a decimal string"),
  organizationId: id,
  parameters: z.record(z.string(), z.unknown()),
});
export type ActivityEnvelope = z.infer<typeof activityEnvelope>;

export const queryEnvelope = z.object({ organizationId: id });

// ---- create_sub_organization (V7 and V8 share these parameters) ----

export const API_KEY_CURVES = ["API_KEY_CURVE_P256", "API_KEY_CURVE_SECP256K1", "API_KEY_CURVE_ED25519"] as const;

const apiKeyParams = z.object({
  apiKeyName: name,
  publicKey: z.string().min(1).max(256),
  curveType: z.enum(API_KEY_CURVES),
  expirationSeconds: seconds.optional(),
});

export type AuthenticatorParams = z.infer<typeof authenticatorParams>;
const authenticatorParams = z.object({
  authenticatorName: name,
  challenge: z.string().max(1024),
  attestation: z.object({
    credentialId: z.string().min(1).max(1024),
    clientDataJson: z.string().max(16 * 1024),
    attestationObject: z.string().max(32 * 1024),
    transports: z.array(z.string().max(64)).max(8),
  }),
});

const oauthProviderParams = z.union([
  z.object({
    providerName: name,
    oidcToken: z
      .string()
      .min(1)
      .max(16 * 1024),
  }),
  z.object({
    providerName: name,
    oidcClaims: z.object({ iss: z.string().min(1).max(512), sub: z.string().min(1).max(512), aud: z.string().min(1).max(512) }),
  }),
]);
export type OauthProviderParams = z.infer<typeof oauthProviderParams>;

const rootUser = z.object({
  userName: name.and(printable),
  userEmail: z.email().max(254).optional(),
  userPhoneNumber: z
    .string()
    .regex(/^\+[1-9][0-9]{6,14}$/, "must be E.164")
    .optional(),
  apiKeys: z.array(apiKeyParams).max(10),
  authenticators: z.array(authenticatorParams).max(10),
  oauthProviders: z.array(oauthProviderParams).max(10),
});
export type RootUserParams = z.infer<typeof rootUser>;

export const walletAccountParams = z.object({
  curve: z.enum(["CURVE_SECP256K1", "CURVE_ED25519", "CURVE_P256"]),
  pathFormat: z.literal("PATH_FORMAT_BIP32"),
  path: z.string().min(1).max(128),
  addressFormat: z.string().min(1).max(64),
  name: z.string().max(256).optional(),
});
export type WalletAccountParams = z.infer<typeof walletAccountParams>;

export const createSubOrganizationParams = z.object({
  subOrganizationName: name.and(printable),
  rootUsers: z.array(rootUser).min(1).max(10),
  rootQuorumThreshold: z.number().int().min(1),
  wallet: z
    .object({
      walletName: name,
      accounts: z.array(walletAccountParams).max(32),
      mnemonicLength: z.union([z.literal(12), z.literal(15), z.literal(18), z.literal(21), z.literal(24)]).optional(),
    })
    .optional(),
  disableEmailRecovery: z.boolean().optional(),
  disableEmailAuth: z.boolean().optional(),
  disableSmsAuth: z.boolean().optional(),
  disableOtpEmailAuth: z.boolean().optional(),
  verificationToken: z
    .string()
    .max(8 * 1024)
    .optional(),
  clientSignature: z.unknown().optional(),
});
export type CreateSubOrganizationParams = z.infer<typeof createSubOrganizationParams>;

// ---- OTP ----

export const initOtpParams = z.object({
  otpType: z.string().min(1).max(64),
  contact: z.string().min(1).max(320),
  appName: z.string().min(1).max(64).and(printable),
  otpLength: z.number().int().optional(),
  alphanumeric: z.boolean().optional(),
  expirationSeconds: seconds.optional(),
});

export const verifyOtpParams = z.object({
  otpId: id,
  encryptedOtpBundle: z.string().min(1).max(4096),
  expirationSeconds: seconds.optional(),
});

const clientSignature = z.object({
  publicKey: z.string().min(1).max(256),
  scheme: z.string().min(1).max(64),
  message: z.string().min(1).max(4096),
  signature: z.string().min(1).max(256),
});

export const otpLoginParams = z.object({
  verificationToken: z
    .string()
    .min(1)
    .max(8 * 1024),
  publicKey: z.string().min(1).max(256),
  clientSignature,
  expirationSeconds: seconds.optional(),
  invalidateExisting: z.boolean().optional(),
  sessionProfileId: z.string().max(128).optional(),
});

export const oauthLoginParams = z.object({
  oidcToken: z
    .string()
    .min(1)
    .max(16 * 1024),
  publicKey: z.string().min(1).max(256),
  expirationSeconds: seconds.optional(),
  invalidateExisting: z.boolean().optional(),
  sessionProfileId: z.string().max(128).optional(),
});

export const stampLoginParams = z.object({
  publicKey: z.string().min(1).max(256),
  expirationSeconds: seconds.optional(),
  invalidateExisting: z.boolean().optional(),
  sessionProfileId: z.string().max(128).optional(),
});

// ---- queries ----

const pagination = z
  .object({
    limit: z
      .string()
      .regex(/^[0-9]{1,4}$/)
      .optional(),
    before: z.string().max(128).optional(),
    after: z.string().max(128).optional(),
  })
  .optional();

export const getUserQuery = queryEnvelope.extend({ userId: id });
export const getActivityQuery = queryEnvelope.extend({ activityId: id });
export const listWalletAccountsQuery = queryEnvelope.extend({
  walletId: id.optional(),
  includeWalletDetails: z.boolean().optional(),
  paginationOptions: pagination,
});
export const listSubOrgsQuery = queryEnvelope.extend({
  filterType: z.string().max(64).optional(),
  filterValue: z
    .string()
    .max(16 * 1024)
    .optional(),
  paginationOptions: pagination,
});
