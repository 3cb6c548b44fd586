import { Annotations, CfnResource, IAspect, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import {
  awsPrincipals, coversAction, currentProperty, parseDocument, principalFacts, refersToSameTemplate, requiresMfa,
  stackAccount, statementsOf,
} from '../private/cfn-inspect';
import { ACCOUNT_ID_PATTERN } from '../private/patterns';
import { Problems } from '../private/validation';

/**
 * Properties of the `RequireMfaForCrossAccountTrust` aspect.
 */
export interface RequireMfaForCrossAccountTrustProps {
  /**
   * Accounts whose principals may keep assuming roles without MFA (e.g. a vendor that authenticates with an
   * ExternalId). Listing an account here is the visible exception.
   *
   * @default - none: every principal of another account must use MFA
   */
  readonly exemptAccounts?: string[];
}

/**
 * Adds `Bool aws:MultiFactorAuthPresent true` to every trust statement that lets an AWS principal of another
 * account (or `*`) call `sts:AssumeRole` without an MFA condition. Service principals, federated principals and
 * principals of the role's own account are left as they are: a statement mixing them is split, so only the
 * cross-account principals get the condition. Opt-in: `Aspects.of(scope).add(new RequireMfaForCrossAccountTrust())`.
 *
 * Works on any `AWS::IAM::Role` (L2 `iam.Role`, `CfnRole`, raw `CfnResource`), whether the trust policy is an
 * `iam.PolicyDocument` or JSON. A principal whose account cannot be resolved at synth counts as another account;
 * so does every concrete account in a stack without a concrete account.
 */
export class RequireMfaForCrossAccountTrust implements IAspect {
  private readonly exempt: Set<string>;

  constructor(props: RequireMfaForCrossAccountTrustProps = {}) {
    const problems = new Problems('RequireMfaForCrossAccountTrust');
    (props.exemptAccounts ?? []).forEach((a, i) => {
      if (!ACCOUNT_ID_PATTERN.test(a)) problems.add(`exemptAccounts[${i}]`, `account id '${a}' must be 12 digits`);
    });
    problems.throwIfAny();
    this.exempt = new Set(props.exemptAccounts ?? []);
  }

  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node) || node.cfnResourceType !== 'AWS::IAM::Role') return;
    const { value, partialOverride } = currentProperty(node, 'AssumeRolePolicyDocument');
    if (value === undefined) return;
    if (partialOverride) {
      Annotations.of(node).addError('AssumeRolePolicyDocument: cannot add the MFA condition to a trust policy patched by a partial raw override; override the whole document instead');
      return;
    }
    const doc = parseDocument(Stack.of(node).resolve(value));
    if (!doc || typeof doc !== 'object' || !('Statement' in doc)) {
      Annotations.of(node).addError('AssumeRolePolicyDocument: the trust policy cannot be read at synth time, so the MFA condition cannot be added');
      return;
    }
    const own = stackAccount(node);
    let changed = false;
    const statements: any[] = [];
    for (const s of statementsOf(doc)) {
      if (s.Effect !== 'Allow' || !coversAction(s.Action, 'sts:AssumeRole') || requiresMfa(s)) {
        statements.push(s);
        continue;
      }
      const principals = awsPrincipals(s);
      const cross = principals.filter((p) => {
        const f = principalFacts(p, own, refersToSameTemplate);
        return f.kind !== 'self' && !(f.account !== undefined && this.exempt.has(f.account));
      });
      if (cross.length === 0) {
        statements.push(s);
        continue;
      }
      changed = true;
      if (s.Principal === '*') {
        statements.push(withMfa(s));
        continue;
      }
      // keep everything that is not a cross-account AWS principal in the original statement
      const rest = principals.filter((p) => !cross.includes(p));
      const { AWS: _aws, ...others } = s.Principal;
      const kept = rest.length > 0 ? { ...others, AWS: single(rest) } : others;
      if (Object.keys(kept).length > 0) statements.push({ ...s, Principal: kept });
      const sid = s.Sid !== undefined ? { Sid: `${s.Sid}RequireMfa` } : {};
      const { Sid: _sid, ...body } = s;
      statements.push(withMfa({ ...body, ...sid, Principal: { AWS: single(cross) } }));
    }
    if (changed) node.addPropertyOverride('AssumeRolePolicyDocument', { ...doc, Statement: statements });
  }
}

function single(values: any[]): any {
  return values.length === 1 ? values[0] : values;
}

function withMfa(statement: any): any {
  const condition = statement.Condition ?? {};
  return {
    ...statement,
    Condition: { ...condition, Bool: { ...(condition.Bool ?? {}), 'aws:MultiFactorAuthPresent': 'true' } },
  };
}
