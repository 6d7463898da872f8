/**
 * Moojo credentials ("Define & add new credentials", "Retrieve user credentials"):
 * https://docs.moojo.id/user-credentials/define-and-add-new-credentials
 * https://docs.moojo.id/user-credentials/retrieve-user-credentials
 *
 * Invariants:
 * - A slug is defined at most once. Defining it again with the identical definition answers the
 *   existing definition (idempotent, so an app may define on every start or lazily without
 *   bookkeeping); defining it again with a different definition is a conflict, never a change:
 *   credentials already issued must keep meaning what they meant.
 * - A definition has at most 12 fields, each `uint` or `string`, names unique.
 * - A credential's values match its definition exactly: every defined field present, no other,
 *   `uint` a non-negative safe integer, `string` a string. Values are kept in definition order.
 * - Ids are `0x` + 32 random bytes in hex, the shape the docs' examples show.
 * - `recipientAddress` is the Ethereum address of the user's own Moojo key; `attesterAddress`
 *   is this counterpart's, created once. Both EIP-55 checksummed, like the docs' example.
 */
import { randomBytes } from "node:crypto";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { z } from "zod";
import type { Queryable } from "../lib/db";
import { addressFromPublicKey, generateAccountKey } from "../lib/ethereum-address";

/** "Each credential schema can contain up to 12 fields." */
export const MAX_FIELD_DEFINITIONS = 12;
export const MAX_STRING_VALUE_LENGTH = 1024;

export type CredentialErrorCode = "credential_already_defined" | "slug_unknown" | "fields_invalid" | "user_unknown";

export class CredentialError extends Error {
  override readonly name = "CredentialError";
  constructor(
    readonly code: CredentialErrorCode,
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const slug = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "letters, digits, '_', '-' and '.' only");

const fieldDefinition = z
  .object({
    name: z.string().min(1).max(64),
    type: z.enum(["uint", "string"]),
    description: z.string().max(2000).optional(),
  })
  .strict();

/** Body of `POST /define-credential`. */
export const defineCredentialBody = z
  .object({
    slug,
    name: z.string().min(1).max(200).optional(),
    description: z.string().max(5000).optional(),
    codeUrl: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .optional(),
    fieldDefinitions: z
      .array(fieldDefinition)
      .max(MAX_FIELD_DEFINITIONS, `at most ${MAX_FIELD_DEFINITIONS} field definitions`)
      .refine((list) => new Set(list.map((f) => f.name)).size === list.length, "field names must be unique")
      .default([]),
  })
  .strict();

/** Body of `POST /user/add-credential`. */
export const addCredentialBody = z
  .object({
    publicUserId: z.uuid(),
    slug,
    fields: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
  })
  .strict();

export type DefineCredentialInput = z.output<typeof defineCredentialBody>;
export type FieldDefinition = z.output<typeof fieldDefinition>;

export interface CredentialDefinition {
  readonly id: string;
  readonly slug: string;
  readonly fieldDefinitions: readonly FieldDefinition[];
  readonly createdAt: Date;
}

export interface StoredCredential {
  readonly id: string;
  readonly definitionId: string;
  readonly createdAt: Date;
  readonly attesterAddress: string;
  readonly recipientAddress: string;
  readonly slug: string;
  readonly fields: Readonly<Record<string, string | number>>;
}

const randomId = () => `0x${randomBytes(32).toString("hex")}`;

interface DefinitionRow {
  id: string;
  slug: string;
  name: string | null;
  description: string | null;
  code_url: string | null;
  field_definitions: FieldDefinition[];
  created_at: Date;
}

/** The definition as compared for idempotency: what the app asked for, absent optionals as null. */
function canonical(d: {
  name?: string | null;
  description?: string | null;
  codeUrl?: string | null;
  fieldDefinitions: readonly FieldDefinition[];
}): string {
  return JSON.stringify({
    name: d.name ?? null,
    description: d.description ?? null,
    codeUrl: d.codeUrl ?? null,
    fields: d.fieldDefinitions.map((f) => ({ name: f.name, type: f.type, description: f.description ?? null })),
  });
}

/** Defines a slug, or answers its existing identical definition (`created: false`). */
export async function defineCredential(
  q: Queryable,
  input: DefineCredentialInput,
  now: Date,
): Promise<{ definition: CredentialDefinition; created: boolean }> {
  const inserted = await q.query<DefinitionRow>(
    `INSERT INTO credential_definitions (id, slug, name, description, code_url, field_definitions, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (slug) DO NOTHING
     RETURNING *`,
    [
      randomId(),
      input.slug,
      input.name ?? null,
      input.description ?? null,
      input.codeUrl ?? null,
      JSON.stringify(input.fieldDefinitions),
      now,
    ],
  );
  const created = inserted.rows[0];
  if (created) return { definition: toDefinition(created), created: true };
  const existing = (await q.query<DefinitionRow>("SELECT * FROM credential_definitions WHERE slug = $1", [input.slug])).rows[0];
  if (!existing) throw new Error("Definition vanished between insert and select");
  const same =
    canonical({
      name: existing.name,
      description: existing.description,
      codeUrl: existing.code_url,
      fieldDefinitions: existing.field_definitions,
    }) === canonical(input);
  if (!same) {
    throw new CredentialError(
      "credential_already_defined",
      409,
      `The slug "${input.slug}" is already defined differently; definitions cannot be changed`,
    );
  }
  return { definition: toDefinition(existing), created: false };
}

function toDefinition(row: DefinitionRow): CredentialDefinition {
  return { id: row.id, slug: row.slug, fieldDefinitions: row.field_definitions, createdAt: row.created_at };
}

/** Checks values against the definition; answers them in definition order. */
export function checkFieldValues(
  definitions: readonly FieldDefinition[],
  values: Readonly<Record<string, string | number>>,
): Record<string, string | number> {
  const known = new Set(definitions.map((d) => d.name));
  const extra = Object.keys(values).filter((name) => !known.has(name));
  if (extra.length > 0) throw new CredentialError("fields_invalid", 400, `fields: "${extra[0]}" is not defined for this credential`);
  const ordered: Record<string, string | number> = {};
  for (const definition of definitions) {
    if (!Object.hasOwn(values, definition.name))
      throw new CredentialError("fields_invalid", 400, `fields: "${definition.name}" is required`);
    const value = values[definition.name];
    if (definition.type === "uint" && !(typeof value === "number" && Number.isSafeInteger(value) && value >= 0)) {
      throw new CredentialError("fields_invalid", 400, `fields: "${definition.name}" must be a non-negative integer (uint)`);
    }
    if (definition.type === "string" && !(typeof value === "string" && value.length <= MAX_STRING_VALUE_LENGTH)) {
      throw new CredentialError(
        "fields_invalid",
        400,
        `fields: "${definition.name}" must be a string of at most ${MAX_STRING_VALUE_LENGTH} characters`,
      );
    }
    ordered[definition.name] = value!;
  }
  return ordered;
}

/** This counterpart's attester address, created on first use (race-free: first insert wins). */
async function attesterAddress(q: Queryable): Promise<string> {
  await q.query("INSERT INTO settings (key, value) VALUES ('attester_address', $1) ON CONFLICT (key) DO NOTHING", [
    generateAccountKey().address,
  ]);
  const row = (await q.query<{ value: string }>("SELECT value FROM settings WHERE key = 'attester_address'")).rows[0];
  if (!row) throw new Error("attester address missing");
  return row.value;
}

/** The Ethereum address of a Moojo public key (`0x` + compressed secp256k1). */
export function recipientAddressOf(publicKey: string): string {
  return addressFromPublicKey(secp256k1.Point.fromHex(publicKey.slice(2)).toBytes(false));
}

/** Adds a credential to the user with this `publicUserId`. */
export async function addCredential(q: Queryable, input: z.output<typeof addCredentialBody>, now: Date): Promise<StoredCredential> {
  const definition = (await q.query<DefinitionRow>("SELECT * FROM credential_definitions WHERE slug = $1", [input.slug])).rows[0];
  if (!definition)
    throw new CredentialError("slug_unknown", 400, `No credential is defined with the slug "${input.slug}"; define it first`);
  const fields = checkFieldValues(definition.field_definitions, input.fields);
  const user = (await q.query<{ id: string; public_key: string }>("SELECT id, public_key FROM users WHERE id = $1", [input.publicUserId]))
    .rows[0];
  if (!user) throw new CredentialError("user_unknown", 404, "No user has this publicUserId");
  const id = randomId();
  await q.query("INSERT INTO credentials (id, definition_id, user_id, field_values, created_at) VALUES ($1, $2, $3, $4, $5)", [
    id,
    definition.id,
    user.id,
    JSON.stringify(fields),
    now,
  ]);
  return {
    id,
    definitionId: definition.id,
    createdAt: now,
    attesterAddress: await attesterAddress(q),
    recipientAddress: recipientAddressOf(user.public_key),
    slug: definition.slug,
    fields,
  };
}

/** Every credential of the user, oldest first, values in definition order. */
export async function listCredentials(q: Queryable, userId: string, publicKey: string): Promise<StoredCredential[]> {
  const rows = await q.query<{
    id: string;
    definition_id: string;
    created_at: Date;
    slug: string;
    field_values: Record<string, string | number>;
    field_definitions: FieldDefinition[];
  }>(
    `SELECT c.id, c.definition_id, c.created_at, d.slug, c.field_values, d.field_definitions
     FROM credentials c JOIN credential_definitions d ON d.id = c.definition_id
     WHERE c.user_id = $1 ORDER BY c.created_at, c.id`,
    [userId],
  );
  if (rows.rows.length === 0) return [];
  const attester = await attesterAddress(q);
  const recipient = recipientAddressOf(publicKey);
  return rows.rows.map((row) => {
    // jsonb does not keep key order; the definition does.
    const fields: Record<string, string | number> = {};
    for (const d of row.field_definitions) if (Object.hasOwn(row.field_values, d.name)) fields[d.name] = row.field_values[d.name]!;
    return {
      id: row.id,
      definitionId: row.definition_id,
      createdAt: row.created_at,
      attesterAddress: attester,
      recipientAddress: recipient,
      slug: row.slug,
      fields,
    };
  });
}
