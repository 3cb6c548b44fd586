// Points each access-report row to the IAM Access Analyzer findings about it. Pure; imports no construct.

/** The facts of a row the filter needs. */
export interface FindingsRow {
  readonly path: string;
  readonly accountId: string;
  readonly access: string;
  /** `iam-group` / `iam-user` rows reach an IAM role of that name (jump-account roles and elevated roles). */
  readonly principalType?: string;
}

/**
 * The IAM Access Analyzer filter that lists the findings about one row: the row's role in the row's account.
 * Identity Center creates a role named `AWSReservedSSO_<permission set>_<suffix>` in every account a permission
 * set reaches, so permission-set rows filter on that prefix.
 */
export function analyzerFilter(row: FindingsRow): string {
  const iamRole = row.path === 'jump-account-role' || row.principalType === 'iam-group' || row.principalType === 'iam-user';
  const role = iamRole ? `role/${row.access}` : `AWSReservedSSO_${row.access}_`;
  return `resourceOwnerAccount = ${row.accountId}, resource contains ${role}`;
}

/** The console page of an analyzer's findings. */
export function analyzerConsoleUrl(region: string, unused: boolean): string {
  return `https://${region}.console.aws.amazon.com/access-analyzer/home?region=${region}#/${unused ? 'unused-access' : 'findings'}`;
}
