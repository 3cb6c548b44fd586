import * as accessanalyzer from 'aws-cdk-lib/aws-accessanalyzer';
import { Organization } from '../organization';

/**
 * Which organization analyzer an archive rule belongs to.
 */
export enum AnalyzerKind {
  /** The external access analyzer: resource policies that let principals outside the organization in. */
  EXTERNAL_ACCESS = 'EXTERNAL_ACCESS',
  /** The unused access analyzer: roles, users, keys, passwords and permissions left unused. */
  UNUSED_ACCESS = 'UNUSED_ACCESS',
}

/**
 * One criterion of an archive rule filter, as IAM Access Analyzer takes it: the finding's value of the filter key
 * must equal one of `eq`, differ from all of `neq`, contain one of `contains`, or (not) exist.
 */
export interface ArchiveFilterCriterion {
  /**
   * The value equals one of these.
   *
   * @default - not compared
   */
  readonly eq?: string[];

  /**
   * The value equals none of these.
   *
   * @default - not compared
   */
  readonly neq?: string[];

  /**
   * The value contains one of these.
   *
   * @default - not compared
   */
  readonly contains?: string[];

  /**
   * The key exists (true) or not (false).
   *
   * @default - not compared
   */
  readonly exists?: boolean;
}

/**
 * Properties of a custom archive rule.
 */
export interface CustomArchiveRuleProps {
  /** The rule name: a letter, then letters, digits, `_`, `.` or `-`. */
  readonly ruleName: string;

  /** The analyzer the rule archives findings of. */
  readonly analyzer: AnalyzerKind;

  /**
   * The filter, by IAM Access Analyzer filter key (`resource`, `resourceType`, `resourceOwnerAccount`,
   * `principal.AWS`, `isPublic`, `findingType`, ...). A finding is archived when every criterion matches.
   */
  readonly filter: { [key: string]: ArchiveFilterCriterion };
}

/** An archive rule resolved against the organization model. */
export interface ResolvedArchiveRule {
  readonly analyzer: AnalyzerKind;
  readonly rule: accessanalyzer.CfnAnalyzer.ArchiveRuleProperty;
}

/**
 * A rule that archives findings the organization expects, written in code so that a reviewer sees every exception:
 * access granted to a declared vendor account, roles that exist to stay unused (break-glass), or your own filter.
 * Archived findings raise no notification.
 */
export class AnalyzerArchiveRule {
  /**
   * External access granted to these accounts outside the organization (by name or id, declared in the organization
   * model's `externalAccounts`) is expected: archive its findings.
   */
  public static trustedAccounts(accounts: string[], ruleName?: string): AnalyzerArchiveRule {
    const name = ruleName ?? 'trusted-external-accounts';
    return new AnalyzerArchiveRule((organization, problems) => {
      checkName(name, problems);
      if (accounts.length === 0) problems.push('trustedAccounts() needs at least one account, got none');
      const ids: string[] = [];
      for (const ref of accounts) {
        const a = organization.tryFindAccount(ref);
        if (!a || organization.isMember(a.accountId)) {
          problems.push(`account '${ref}' is not an external account of the organization model (access from members raises no finding)`);
        } else {
          ids.push(a.accountId);
        }
      }
      // the finding's principal is an account id or an ARN holding it
      return {
        analyzer: AnalyzerKind.EXTERNAL_ACCESS,
        rule: { ruleName: name, filter: criteria({ 'principal.AWS': { contains: [...new Set(ids)].sort() } }) },
      };
    });
  }

  /**
   * These roles are meant to stay unused (break-glass roles, disaster-recovery roles): archive their unused-role
   * and unused-permission findings. Roles are matched by name in every account.
   */
  public static expectedUnusedRoles(roleNames: string[], ruleName?: string): AnalyzerArchiveRule {
    const name = ruleName ?? 'expected-unused-roles';
    return new AnalyzerArchiveRule((_organization, problems) => {
      checkName(name, problems);
      if (roleNames.length === 0) problems.push('expectedUnusedRoles() needs at least one role name, got none');
      for (const r of roleNames) {
        if (!/^[\w+=,.@-]{1,64}$/.test(r)) problems.push(`role name '${r}' must be 1-64 of letters, digits and +=,.@_-`);
      }
      return {
        analyzer: AnalyzerKind.UNUSED_ACCESS,
        rule: {
          ruleName: name,
          filter: criteria({
            resourceType: { eq: ['AWS::IAM::Role'] },
            resource: { contains: [...new Set(roleNames)].sort().map((r) => `:role/${r}`) },
          }),
        },
      };
    });
  }

  /** Your own rule over IAM Access Analyzer filter keys. */
  public static custom(props: CustomArchiveRuleProps): AnalyzerArchiveRule {
    return new AnalyzerArchiveRule((_organization, problems) => {
      checkName(props.ruleName, problems);
      const keys = Object.keys(props.filter);
      if (keys.length === 0) problems.push(`archive rule '${props.ruleName}' needs at least one filter criterion, got none`);
      for (const k of keys) {
        const c = props.filter[k];
        if (c.eq === undefined && c.neq === undefined && c.contains === undefined && c.exists === undefined) {
          problems.push(`filter key '${k}' of archive rule '${props.ruleName}' sets no comparison (eq, neq, contains or exists)`);
        }
      }
      return { analyzer: props.analyzer, rule: { ruleName: props.ruleName, filter: criteria(props.filter) } };
    });
  }

  private constructor(private readonly resolver: (organization: Organization, problems: string[]) => ResolvedArchiveRule) {}

  /**
   * The rule for the analyzer; problems (an unknown account, a bad name) are added to `problems`.
   *
   * @internal
   */
  public _resolve(organization: Organization, problems: string[]): ResolvedArchiveRule {
    return this.resolver(organization, problems);
  }
}

const RULE_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,254}$/;

function checkName(name: string, problems: string[]): void {
  if (!RULE_NAME.test(name)) problems.push(`archive rule name '${name}' must be a letter followed by up to 254 letters, digits, '_', '.' or '-'`);
}

function criteria(filter: { [key: string]: ArchiveFilterCriterion }): accessanalyzer.CfnAnalyzer.FilterProperty[] {
  return Object.keys(filter).sort().map((property) => ({ property, ...filter[property] }));
}
