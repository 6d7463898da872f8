// Field types shared by the core schema and the providers' config fragments. An empty value
// means "unset" everywhere (as in `.env` files with `KEY=`).
import { z } from "zod";

export const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

export const optionalUrl = optionalString.pipe(z.url().optional());

export const booleanFlag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

/** An uncompressed P-256 public key in hex (04 ‖ x ‖ y). */
export const p256PublicKeyHex = optionalString.pipe(
  z
    .string()
    .regex(/^04[0-9a-f]{128}$/i, "must be an uncompressed P-256 public key in hex (04…)")
    .optional(),
);
