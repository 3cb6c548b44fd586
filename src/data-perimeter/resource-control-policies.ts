import { Annotations, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { ResourceControl } from './resource-control';
import { GuardrailPolicyInfo } from '../guardrails/guardrail-policies';
import { GuardrailTarget, ResolvedGuardrailTarget } from '../guardrails/guardrail-target';
import { Organization } from '../organization';
import { LZ_MANAGED_TAG_KEY } from '../private/conventions';
import { acknowledgeCustomResourcePolicy } from '../private/custom-resource-provider';
import { collectPolicySetStatements, policySetBaseName, resolvePolicySetTargets, truncate } from '../private/policy-set-input';
import { hasIntrinsics, UNRESOLVED_ALLOWANCE_CHARS } from '../private/policy-size';
import {
  packedPolicyId, packedPolicyName, packStatements, PackedPolicy, perTargetOverruns, POLICY_TYPE_LIMITS, scpDocument,
} from '../private/scp-packing';
import { checkManagingAccount, POLICY_ACCOUNT_FIX, policyAdministrators, Problems } from '../private/validation';

/**
 * Properties of `ResourceControlPolicies`.
 */
export interface ResourceControlPoliciesProps {
  /** The organization the targets and the controls are resolved against. */
  readonly organization: Organization;

  /** Where the policies are attached: the root, OUs or accounts. */
  readonly targets: GuardrailTarget[];

  /** The controls, packed into as few resource control policies as fit. */
  readonly controls: ResourceControl[];

  /**
   * Name of the policy; when the controls need several policies they are named `<name>-1`, `<name>-2`, ...
   *
   * @default - `lz-` followed by the construct id in kebab case
   */
  readonly policyName?: string;

  /**
   * Description of the policies.
   *
   * @default - the names of the controls in each policy
   */
  readonly description?: string;

  /**
   * The most resource control policies AWS lets you attach to one root, OU or account. RCPs have their own quota,
   * counted apart from SCPs. Another construct attaching RCPs to the same targets is not seen here: count its
   * policies in `externallyAttachedPolicies`.
   *
   * @default 5
   */
  readonly maxPoliciesPerTarget?: number;

  /**
   * How many RCPs are attached to each target outside this construct (AWS's `RCPFullAWSAccess`, which cannot be
   * detached, Control Tower's RCP controls, ...), counted against `maxPoliciesPerTarget`.
   *
   * @default 1 - only RCPFullAWSAccess
   */
  readonly externallyAttachedPolicies?: number;

  /**
   * The largest policy document, in characters of minified JSON.
   *
   * @default 5120 - the AWS limit; lower it to keep room for later edits
   */
  readonly maxPolicyCharacters?: number;

  /**
   * Whether the construct enables the RCP policy type on the organization root (`organizations:EnablePolicyType`,
   * from the management account) before it creates the policies. Turn it off when something else enables it, e.g.
   * Control Tower's RCP controls.
   *
   * @default true
   */
  readonly enablePolicyType?: boolean;
}

/**
 * Resource control policies made from data-perimeter controls: statements are resolved, minified and packed into
 * as few policies as fit in 5,120 characters, then attached to the given targets. Checked at synth: every policy's
 * size, a statement too big for any policy, the RCP syntax, and the number of RCPs on each target (RCPs have their
 * own quota, counted apart from SCPs). Warns when a target is the management account, whose resources RCPs do not
 * affect.
 *
 * Deploy it in the management account: it enables the RCP policy type on the root first (a custom resource calling
 * `organizations:EnablePolicyType`, which has no CloudFormation resource), so a failure stops the deployment before
 * any policy is attached.
 */
export class ResourceControlPolicies extends Construct {
  /** The resource control policies created, in order. */
  public readonly policies: organizations.CfnPolicy[];

  /** What each policy holds and its size. */
  public readonly policyInfo: GuardrailPolicyInfo[];

  /** The resolved attachment points. */
  public readonly targets: ResolvedGuardrailTarget[];

  /** The custom resource that enables the RCP policy type, if `enablePolicyType`. */
  public readonly policyTypeEnabler?: cr.AwsCustomResource;

  constructor(scope: Construct, id: string, props: ResourceControlPoliciesProps) {
    super(scope, id);
    const problems = Problems.of(this);
    const org = props.organization;

    const { maxChars, maxPerTarget, external } = checkLimits(problems, props);
    const baseName = policySetBaseName(problems, id, props.policyName, props.description);
    checkManagingAccount(problems, this, 'resource control policies', policyAdministrators(org), POLICY_ACCOUNT_FIX);
    this.targets = resolvePolicySetTargets(problems, org, props.targets, 'resource control policies');
    const { statements, fieldOf } = collectPolicySetStatements(problems, Stack.of(this), org, props.controls, CONTROLS);

    const packed = packStatements(statements, maxChars);
    for (const o of packed.oversize) {
      problems.add(fieldOf.get(o.statement.guardrail) ?? 'controls',
        `statement '${o.statement.json.Sid}' of control '${o.statement.guardrail}' alone makes policy '${baseName}' ${o.size} characters of minified json, over the limit of ${maxChars}: shorten it or split it into several statements`);
    }
    const names = packed.policies.map((_p, i) => packedPolicyName(baseName, i));
    for (const overrun of perTargetOverruns(this.targets.map((t) => ({
      policyType: 'RESOURCE_CONTROL_POLICY' as const,
      targetId: t.targetId,
      description: t.description,
      policyNames: names,
      maxPerTarget,
      external,
    })))) {
      problems.add('targets', overrun);
    }
    problems.throwIfAny();

    if (statements.some((s) => hasIntrinsics(s.json))) {
      Annotations.of(this).addWarningV2('cdk-iam-landing-zone:rcpSizeEstimated',
        `control statements hold values known only at deploy time; the ${maxChars}-character limit is checked with pseudo parameters at their longest value and any other expression as ${UNRESOLVED_ALLOWANCE_CHARS} characters`);
    }

    if (props.enablePolicyType ?? true) this.policyTypeEnabler = this.enableRcpPolicyType(org);

    this.policies = [];
    this.policyInfo = [];
    packed.policies.forEach((p, i) => this.createPolicy(p, i, names[i], props.description));

    for (const t of this.targets.filter((x) => x.isManagementAccount)) {
      Annotations.of(this).addWarningV2('cdk-iam-landing-zone:rcpManagementAccount',
        `target ${t.description} is the management account: resource control policies do not affect its resources, so the data perimeter does not protect them`);
    }
  }

  private createPolicy(p: PackedPolicy, i: number, name: string, description: string | undefined): void {
    const controls = [...new Set(p.statements.map((s) => s.guardrail))];
    const policy = new organizations.CfnPolicy(this, packedPolicyId(i), {
      name,
      type: 'RESOURCE_CONTROL_POLICY',
      description: description ?? truncate(`landing zone data perimeter: ${controls.join(', ')}`, 512),
      content: scpDocument(p.statements.map((s) => s.json)),
      targetIds: this.targets.map((t) => t.targetId),
      tags: [{ key: LZ_MANAGED_TAG_KEY, value: 'true' }],
    });
    if (this.policyTypeEnabler) policy.node.addDependency(this.policyTypeEnabler);
    this.policies.push(policy);
    this.policyInfo.push({ name, guardrails: controls, size: p.size });
  }

  // There is no CloudFormation resource for a root's policy types. The type stays enabled when the construct goes:
  // disabling it would detach every RCP of the organization, including ones this library did not create.
  private enableRcpPolicyType(org: Organization): cr.AwsCustomResource {
    const stack = Stack.of(this);
    const resource = new cr.AwsCustomResource(this, 'EnablePolicyType', {
      onCreate: {
        service: 'Organizations',
        action: 'enablePolicyType',
        parameters: { RootId: org.rootId, PolicyType: 'RESOURCE_CONTROL_POLICY' },
        // AWS Organizations is hosted in us-east-1
        region: 'us-east-1',
        physicalResourceId: cr.PhysicalResourceId.of(`${org.rootId}-RESOURCE_CONTROL_POLICY`),
        ignoreErrorCodesMatching: 'PolicyTypeAlreadyEnabledException',
      },
      policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({
        actions: ['organizations:EnablePolicyType'],
        resources: [`arn:${stack.partition}:organizations::${org.managementAccount.accountId}:root/o-*/${org.rootId}`],
        conditions: { StringEquals: { 'organizations:PolicyType': 'RESOURCE_CONTROL_POLICY' } },
      })]),
      installLatestAwsSdk: false,
    });
    acknowledgeCustomResourcePolicy(resource, 'a root ARN carries the organization id, which the model may not know', [
      `Resource::arn:<AWS::Partition>:organizations::${org.managementAccount.accountId}:root/o-*/${org.rootId}`,
    ]);
    return resource;
  }
}

const CONTROLS = { field: 'controls', noun: 'control' };

function checkLimits(problems: Problems, props: ResourceControlPoliciesProps): { maxChars: number; maxPerTarget: number; external: number } {
  const limits = POLICY_TYPE_LIMITS.RESOURCE_CONTROL_POLICY;
  const maxChars = props.maxPolicyCharacters ?? limits.documentChars;
  if (!Number.isInteger(maxChars) || maxChars < 100 || maxChars > limits.documentChars) {
    problems.add('maxPolicyCharacters', `must be an integer from 100 to ${limits.documentChars} (the AWS limit), got ${maxChars}`);
  }
  const maxPerTarget = props.maxPoliciesPerTarget ?? limits.perTarget;
  if (!Number.isInteger(maxPerTarget) || maxPerTarget < 1) problems.add('maxPoliciesPerTarget', `must be a positive integer, got ${maxPerTarget}`);
  const external = props.externallyAttachedPolicies ?? 1;
  if (!Number.isInteger(external) || external < 1) {
    problems.add('externallyAttachedPolicies', `must be an integer of at least 1 (RCPFullAWSAccess stays attached to every target), got ${external}`);
  }
  return { maxChars, maxPerTarget, external };
}
