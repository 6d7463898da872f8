/**
 * Which shapes a counterpart sends. The real services answer with more than one legal shape
 * (nulls where the docs allow them, optional claims absent, extra fields, alternative
 * spellings, maximum documented lengths), and a counterpart that only ever sends the happy
 * shape hides every parser that is too strict. So each counterpart has two modes:
 *
 * - `standard`: the documented example shape, every optional value present.
 * - `sparse`: the legal-but-unusual shape: every nullable field null where that is
 *   consistent, optional claims left out, unknown extra fields added, alternative spellings.
 *
 * Chosen with `COUNTERPART_VARIANT=sparse` (`npm run dev`, `npm test` runs the core connect path of
 * every provider in both modes). Never read by app code: the app must accept both.
 */
export type CounterpartVariant = "standard" | "sparse";

export const COUNTERPART_VARIANTS: readonly CounterpartVariant[] = ["standard", "sparse"];

export function parseCounterpartVariant(value: string | undefined): CounterpartVariant {
  if (value === undefined || value === "" || value === "standard") return "standard";
  if (value === "sparse") return "sparse";
  throw new Error(`COUNTERPART_VARIANT must be "standard" or "sparse", not ${JSON.stringify(value)}.`);
}

/** Extra fields a sparse counterpart adds to its answers: a client must ignore what it does not know. */
export const UNKNOWN_EXTRA_FIELDS = Object.freeze({ _counterpartUnknownField: "ignore me", futureFeature: { enabled: true } });
