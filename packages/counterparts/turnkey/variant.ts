/**
 * The sparse variant of the Turnkey counterpart's successful answers (../lib/variant.ts): only
 * what @turnkey/sdk-types marks optional is left out, and unknown members are added everywhere
 * a client might read (activity results, query bodies, list items). The standard variant
 * answers every member, as the API reference's examples do.
 *
 * - create_sub_organization: `wallet` and `rootUserIds` absent (optional in
 *   v1CreateSubOrganizationResultV7/V8).
 * - list_wallet_accounts: `publicKey`, `name`, `caip2Prefix` absent from each account
 *   (optional in v1WalletAccount); `walletDetails` is kept when asked for.
 * - every activity result and query body: UNKNOWN_EXTRA_FIELDS added.
 */
import { UNKNOWN_EXTRA_FIELDS, type CounterpartVariant } from "../lib/variant";

const OPTIONAL_RESULT_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  create_sub_organization: ["wallet", "rootUserIds"],
};
const OPTIONAL_ACCOUNT_MEMBERS = ["publicKey", "name", "caip2Prefix"] as const;

function without(value: object, members: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !members.includes(key)));
}

/** An activity's result (what goes under `activity.result.<resultKey>`). */
export function shapeActivityResult(variant: CounterpartVariant, activity: string, result: object): object {
  if (variant !== "sparse") return result;
  return { ...without(result, OPTIONAL_RESULT_MEMBERS[activity] ?? []), ...UNKNOWN_EXTRA_FIELDS };
}

/** A query's body. */
export function shapeQueryAnswer(variant: CounterpartVariant, query: string, answer: object): object {
  if (variant !== "sparse" || query === "get_activity") return answer;
  const body: Record<string, unknown> = { ...answer, ...UNKNOWN_EXTRA_FIELDS };
  if (query === "list_wallet_accounts" && Array.isArray(body.accounts)) {
    body.accounts = (body.accounts as object[]).map((account) => ({
      ...without(account, OPTIONAL_ACCOUNT_MEMBERS),
      ...UNKNOWN_EXTRA_FIELDS,
    }));
  }
  if (query === "list_wallets" && Array.isArray(body.wallets)) {
    body.wallets = (body.wallets as object[]).map((wallet) => ({ ...wallet, ...UNKNOWN_EXTRA_FIELDS }));
  }
  return body;
}
