// Shared pieces of the data-perimeter controls. Pure; imports no construct.
import { GuardrailContext } from './guardrail-context';

/** Ids of external accounts named by `refs`; members and unknown accounts are problems. */
export function trustedAccountIds(ctx: GuardrailContext, field: string, refs: string[]): string[] {
  const ids: string[] = [];
  refs.forEach((ref, i) => {
    const account = ctx.organization.tryFindAccount(ref);
    if (!account) {
      ctx.problems.push([`${ctx.field}.${field}[${i}]`, `account '${ref}' is not defined in the organization model: declare it in externalAccounts`]);
    } else if (ctx.organization.isMember(account.accountId)) {
      ctx.problems.push([`${ctx.field}.${field}[${i}]`, `account '${ref}' is a member of the organization, inside the perimeter already: trusted accounts are external ones`]);
    } else {
      ids.push(account.accountId);
    }
  });
  return [...new Set(ids)].sort();
}

