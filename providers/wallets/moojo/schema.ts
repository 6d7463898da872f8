// What the app reads from Moojo ID, as zod schemas. No `server-only` here on purpose: the
// documentation fixtures (./fixtures) and the counterpart's tests (packages/counterparts/moojo) check their
// JSON against exactly these parsers. Objects are not strict: fields Moojo adds later are
// ignored. Nothing is nullable because Moojo documents no null.
import { z } from "zod";

/** `0x` + 20 bytes: an Ethereum address, checksummed or not. */
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);
/** `0x` + 32 bytes, the shape of credential and definition ids in the docs' examples. */
const bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/);

/**
 * `POST /user/authenticate` → 200.
 * https://docs.moojo.id/authentication/authenticate-with-jwt
 */
export const authenticateResponse = z.object({
  status: z.literal("success"),
  data: z.object({
    token: z.string().regex(/^[0-9a-f]{64}$/),
    expiresAtIso8601: z.iso.datetime({ offset: true }),
    publicUserId: z.uuid(),
    publicKey: z.string().regex(/^0x0[23][0-9a-fA-F]{64}$/),
  }),
});

/** The two field types a definition may use ("Credential field types"). */
export const fieldValue = z.union([z.number().int().nonnegative(), z.string()]);

/**
 * One entry of `data.credentials` ("Retrieve user credentials").
 * https://docs.moojo.id/user-credentials/retrieve-user-credentials
 */
export const moojoCredential = z.object({
  id: bytes32,
  definitionId: bytes32,
  /** Milliseconds since the epoch (1742915444615 in the docs' example). */
  createdAt: z.number().int().nonnegative(),
  attesterAddress: address,
  recipientAddress: address,
  slug: z.string().min(1),
  /** Field name → value; empty for a definition without fields. */
  fields: z.record(z.string(), fieldValue),
});
export type MoojoCredential = z.output<typeof moojoCredential>;

/** `POST /user/vault/list-credentials` → 200. */
export const listCredentialsResponse = z.object({
  status: z.literal("success"),
  data: z.object({ credentials: z.array(moojoCredential) }),
});

/**
 * `POST /define-credential` and `POST /user/add-credential` → 200. Their response examples are
 * not in the copy of the page we could read (fixtures/README.md), so the app relies on the
 * envelope every documented Moojo answer has, `status: "success"`, and on nothing in `data`.
 * https://docs.moojo.id/user-credentials/define-and-add-new-credentials
 */
export const writeResponse = z.object({ status: z.literal("success") });

/** Body of `POST /define-credential` (the app's own requests are checked against it in tests). */
export const defineCredentialRequest = z
  .object({
    slug: z.string().min(1),
    name: z.string().optional(),
    description: z.string().optional(),
    codeUrl: z.string().optional(),
    fieldDefinitions: z
      .array(z.object({ name: z.string().min(1), type: z.enum(["uint", "string"]), description: z.string().optional() }).strict())
      .max(12),
  })
  .strict();

/** Body of `POST /user/add-credential`. */
export const addCredentialRequest = z
  .object({
    publicUserId: z.uuid(),
    slug: z.string().min(1),
    fields: z.record(z.string(), fieldValue),
  })
  .strict();
