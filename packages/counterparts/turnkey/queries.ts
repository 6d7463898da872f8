/**
 * Read-only queries (`/public/v1/query/*`), with the response shapes of `@turnkey/sdk-types`.
 * Authorization (which organization the caller may read) is decided before these run.
 */
import type { TGetSubOrgIdsResponse, TGetWhoamiResponse, v1WalletAccount } from "@turnkey/sdk-types";
import type { z } from "zod";
import type { RequestScope, TurnkeyContext } from "./context";
import { invalid, notFound, unimplemented } from "./errors";
import type { getActivityQuery, getUserQuery, listSubOrgsQuery, listWalletAccountsQuery } from "./params";
import {
  getOrganization,
  getUserRow,
  getWallet,
  hasOauthIssuer,
  listWallets,
  listWalletAccounts,
  loadUser,
  subOrganizationIds,
} from "./store";

const DEFAULT_PAGE = 100;
const MAX_PAGE = 100;

/** The caller's own identity: a sub-org user stamping with the parent's id is resolved to its sub-org. */
export async function whoami(ctx: TurnkeyContext, scope: RequestScope): Promise<TGetWhoamiResponse> {
  const org = await getOrganization(ctx.db, scope.principal.organizationId);
  if (!org) throw notFound("organization_not_found", "No such organization");
  return { organizationId: org.id, organizationName: org.name, userId: scope.principal.userId, username: scope.principal.userName };
}

export async function getUser(ctx: TurnkeyContext, scope: RequestScope, body: z.infer<typeof getUserQuery>) {
  const user = await getUserRow(ctx.db, scope.organization.id, body.userId);
  if (!user) throw notFound("user_not_found", "No such user in this organization");
  return { user: await loadUser(ctx.db, user) };
}

export async function getWallets(ctx: TurnkeyContext, scope: RequestScope) {
  return { wallets: await listWallets(ctx.db, scope.organization.id) };
}

export async function getWalletAccounts(ctx: TurnkeyContext, scope: RequestScope, body: z.infer<typeof listWalletAccountsQuery>) {
  const organizationId = scope.organization.id;
  if (body.paginationOptions?.before !== undefined) {
    throw unimplemented("pagination_before_unsupported", "Only forward pagination (after) is supported by this counterpart");
  }
  const limit = body.paginationOptions?.limit !== undefined ? Number(body.paginationOptions.limit) : DEFAULT_PAGE;
  if (limit < 1 || limit > MAX_PAGE) throw invalid("pagination_limit_invalid", `limit must be in [1, ${MAX_PAGE}]`);
  const wallet = body.walletId !== undefined ? await getWallet(ctx.db, organizationId, body.walletId) : undefined;
  if (body.walletId !== undefined && !wallet) throw notFound("wallet_not_found", "No such wallet in this organization");

  const accounts = await listWalletAccounts(ctx.db, {
    organizationId,
    ...(body.walletId !== undefined ? { walletId: body.walletId } : {}),
    ...(body.paginationOptions?.after !== undefined ? { after: body.paginationOptions.after } : {}),
    limit,
  });
  if (!body.includeWalletDetails) return { accounts };
  const wallets = new Map((await listWallets(ctx.db, organizationId)).map((w) => [w.walletId, w]));
  return {
    accounts: accounts.map((account): v1WalletAccount => {
      const details = wallets.get(account.walletId);
      return details ? { ...account, walletDetails: details } : account;
    }),
  };
}

/**
 * `list_suborgs` (sdk: getSubOrgIds) and `list_verified_suborgs` (getVerifiedSubOrgIds).
 * `OIDC_TOKEN` filters verify the token (signature, exp/iat) first, and only for issuers that
 * some sub-organization registered, so a filter value never makes us fetch an arbitrary URL.
 */
export async function getSubOrgIds(
  ctx: TurnkeyContext,
  scope: RequestScope,
  body: z.infer<typeof listSubOrgsQuery>,
  verifiedOnly: boolean,
): Promise<TGetSubOrgIdsResponse> {
  const parentId = scope.organization.id;
  const type = body.filterType ?? "";
  const value = body.filterValue ?? "";
  if (type !== "" && value === "") throw invalid("filter_value_missing", "filterValue is required with filterType");
  if (verifiedOnly && type !== "EMAIL") {
    throw unimplemented("filter_type_unsupported", "list_verified_suborgs supports the EMAIL filter only in this counterpart");
  }
  let ids: string[];
  switch (type) {
    case "":
      ids = await subOrganizationIds(ctx.db, parentId, { kind: "all" });
      break;
    case "EMAIL":
      ids = await subOrganizationIds(ctx.db, parentId, { kind: "email", email: value, verifiedOnly });
      break;
    case "NAME":
      ids = await subOrganizationIds(ctx.db, parentId, { kind: "name", name: value });
      break;
    case "USERNAME":
      ids = await subOrganizationIds(ctx.db, parentId, { kind: "username", userName: value });
      break;
    case "PUBLIC_KEY":
      ids = await subOrganizationIds(ctx.db, parentId, { kind: "public_key", publicKey: value });
      break;
    case "WALLET_ACCOUNT_ADDRESS":
      ids = await subOrganizationIds(ctx.db, parentId, { kind: "address", address: value });
      break;
    case "OIDC_TOKEN": {
      // No sub-organization registered this issuer: nobody can match, so the answer is an empty
      // list (without fetching the issuer's keys), not an error.
      const issuer = ctx.oidc.peekIssuer(value);
      if (!(await hasOauthIssuer(ctx.db, parentId, issuer))) {
        ids = [];
        break;
      }
      const verified = await ctx.oidc.verify(value, { issuerAllowed: (iss) => hasOauthIssuer(ctx.db, parentId, iss) });
      ids = await subOrganizationIds(ctx.db, parentId, {
        kind: "oidc",
        issuer: verified.issuer,
        subject: verified.subject,
        audiences: verified.audiences,
      });
      break;
    }
    default:
      throw unimplemented(
        "filter_type_unsupported",
        "Supported filters: EMAIL, NAME, USERNAME, PUBLIC_KEY, WALLET_ACCOUNT_ADDRESS, OIDC_TOKEN",
      );
  }
  return { organizationIds: ids };
}

export async function getActivity(ctx: TurnkeyContext, scope: RequestScope, body: z.infer<typeof getActivityQuery>) {
  const row = (
    await ctx.db.query<{ record: unknown }>("SELECT record FROM activities WHERE id = $1 AND organization_id = $2", [
      body.activityId,
      scope.organization.id,
    ])
  ).rows[0];
  if (!row) throw notFound("activity_not_found", "No such activity in this organization");
  return { activity: row.record };
}
