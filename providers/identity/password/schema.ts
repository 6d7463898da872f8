import { z } from "zod";

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: "Enter a valid email address." }));

export const passwordSchema = z
  .string()
  .min(10, { message: "Use at least 10 characters." })
  .max(128, { message: "Use at most 128 characters." });

export const signUpSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  name: z.string().trim().max(100).optional(),
});

export const signInSchema = z.object({ email: emailSchema, password: z.string().min(1).max(128) });
export const verifySchema = z.object({
  email: emailSchema,
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, "Enter the 6-digit code."),
});
export const resendSchema = z.object({ email: emailSchema });
