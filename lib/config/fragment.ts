// What a provider contributes to the configuration: its variables, which of them must be set
// together, and how they become its part of AppConfig. The schema the app parses is the core
// schema merged with the fragments of the providers present (providers/config.ts lists them),
// so removing a provider's folder removes its variables too.
import type { z } from "zod";
import type { Env as CoreEnv } from "./schema";

/** Raised for a missing or invalid variable; the message names it and says what to do. */
export class ConfigError extends Error {
  readonly code = "config_invalid";
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`Configuration error: ${variable} ${problem}`);
    this.name = "ConfigError";
  }
}

export interface FragmentContext {
  isProduction: boolean;
  /** Dev defaults are allowed: outside production, or the offline demo (ALLOW_DEV_DEFAULTS). */
  allowDevDefaults: boolean;
  /** The configuration so far: the core's parts and the fragments before this one (registry order). */
  loaded: Readonly<Record<string, unknown>>;
}

export interface ConfigFragment<Id extends string = string, Shape extends z.ZodRawShape = z.ZodRawShape, Out = unknown> {
  id: Id;
  /** Its environment variables, each with a comment saying what it is. */
  variables: Shape;
  /**
   * Variables that must be set together. None set: the provider is off. Some set: an error
   * naming the first missing one, never a silently half-configured provider. Empty: `load`
   * alone decides (the app's own user table is on unless switched off).
   */
  required: readonly (keyof Shape & string)[];
  /** Its part of AppConfig; undefined when it is off. Called only when `required` passed. */
  load(env: z.output<z.ZodObject<Shape>> & CoreEnv, ctx: FragmentContext): Out | undefined;
  /**
   * Identity providers: the issuer of the identities it vouches for, as configured now (what
   * VerifiedIdentity.issuer will be). The store uses it once, to label identities recorded
   * before issuers were.
   */
  identityIssuer?(part: NonNullable<Out>): string;
  /** Origins outside the app that its pages post forms or redirect to (the CSP's form-action). */
  formActionOrigins?(part: NonNullable<Out>): string[];
}

/** Declares a fragment, keeping its id and output types for AppConfig. */
export function defineConfigFragment<Id extends string, Shape extends z.ZodRawShape, Out>(
  fragment: ConfigFragment<Id, Shape, Out>,
): ConfigFragment<Id, Shape, Out> {
  return fragment;
}
