import { Annotations, Stack } from 'aws-cdk-lib';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import { Construct, IConstruct } from 'constructs';
import { Guardrail } from './guardrail';
import { GuardrailTarget, ResolvedGuardrailTarget } from './guardrail-target';
import { Organization } from '../organization';
import { checkScpAttachments, ScpAttachmentPlan } from '../plan/scp-attachment-plan';
import { appRootSlot } from '../private/app-root-slot';
import { LZ_MANAGED_TAG_KEY } from '../private/conventions';
import { LIMITS } from '../private/limits';
import { collectPolicySetStatements, policySetBaseName, resolvePolicySetTargets, truncate, uniqueBy } from '../private/policy-set-input';
import { hasIntrinsics, UNRESOLVED_ALLOWANCE_CHARS } from '../private/policy-size';
import { packedPolicyId, packedPolicyName, packStatements, PackedPolicy, scpDocument } from '../private/scp-packing';
import { checkManagingAccount, formatProblems, POLICY_ACCOUNT_FIX, policyAdministrators, Problems } from '../private/validation';

/**
 * Properties of `GuardrailPolicies`.
 */
export interface GuardrailPoliciesProps {
  /** The organization the targets are resolved against. */
  readonly organization: Organization;

  /** Where the policies are attached: the root, OUs or accounts. */
  readonly targets: GuardrailTarget[];

  /** The guardrails, packed into as few service control policies as fit. */
  readonly guardrails: Guardrail[];

  /**
   * Name of the policy; when the guardrails need several policies they are named `<name>-1`, `<name>-2`, ...
   * Names must be unique in the organization: the library refuses two guardrail constructs with the same name.
   *
   * @default - `lz-` followed by the construct id in kebab case
   */
  readonly policyName?: string;

  /**
   * Description of the policies.
   *
   * @default - the names of the guardrails in each policy
   */
  readonly description?: string;

  /**
   * The most service control policies AWS lets you attach to one root, OU or account. Raise it only if your
   * organization's quota was raised (some organizations have 10). Where several guardrail constructs attach to the
   * same target, the smallest value among them applies, so set it on each.
   *
   * @default 5
   */
  readonly maxPoliciesPerTarget?: number;

  /**
   * How many SCPs are attached to each target outside this library (AWS's `FullAWSAccess`, Control Tower's own
   * guardrails, ...), counted against `maxPoliciesPerTarget`. Where several guardrail constructs attach to the
   * same target, the largest value among them applies.
   *
   * @default 1 - only FullAWSAccess
   */
  readonly externallyAttachedPolicies?: number;

  /**
   * The largest policy document, in characters of minified JSON.
   *
   * @default 5120 - the AWS limit; lower it to keep room for later edits
   */
  readonly maxPolicyCharacters?: number;
}

/** One service control policy created by the construct, with what it holds. */
export interface GuardrailPolicyInfo {
  /** The policy's name. */
  readonly name: string;

  /** The names of the guardrails whose statements it holds. */
  readonly guardrails: string[];

  /** Its size in characters of minified JSON (an upper bound when it holds unresolved tokens). */
  readonly size: number;
}

// The attachment plans of every guardrail construct of an app, kept on the app's root under a global symbol, so that
// several copies of the library in one app share one list (a module-level registry or instanceof would not).
const ATTACHMENTS = Symbol.for('cdk-iam-landing-zone.GuardrailPolicies.attachments');

function attachmentsOf(scope: IConstruct): ScpAttachmentPlan[] {
  return appRootSlot<ScpAttachmentPlan[]>(scope, ATTACHMENTS, () => []);
}

/**
 * Service control policies made from guardrails: statements are resolved, minified and packed into as few policies
 * as fit in 5,120 characters, then attached to the given targets. Checked at synth: every policy's size, a single
 * statement too big for any policy, the number of SCPs on each target across every guardrail construct of the app,
 * and policy names unique in the app. Warns when a target is the management account, where SCPs have no effect.
 *
 * Deploy it in the management account (or a delegated policy administrator account).
 */
export class GuardrailPolicies extends Construct {
  /** The service control policies created, in order. */
  public readonly policies: organizations.CfnPolicy[];

  /** What each policy holds and its size. */
  public readonly policyInfo: GuardrailPolicyInfo[];

  /** The resolved attachment points. */
  public readonly targets: ResolvedGuardrailTarget[];


  constructor(scope: Construct, id: string, props: GuardrailPoliciesProps) {
    super(scope, id);
    const problems = Problems.of(this);

    const { maxChars, maxPerTarget, external } = checkLimits(problems, props);
    const baseName = policySetBaseName(problems, id, props.policyName, props.description);
    checkManagingAccount(problems, this, 'service control policies', policyAdministrators(props.organization), POLICY_ACCOUNT_FIX);
    this.targets = resolvePolicySetTargets(problems, props.organization, props.targets);
    const { statements, fieldOf } = collectPolicySetStatements(problems, Stack.of(this), props.organization, props.guardrails, GUARDRAILS);

    const packed = packStatements(statements, maxChars);
    for (const o of packed.oversize) {
      problems.add(
        fieldOf.get(o.statement.guardrail) ?? 'guardrails',
        `statement '${o.statement.json.Sid}' of guardrail '${o.statement.guardrail}' alone makes policy '${baseName}' ${o.size} characters of minified json, over the limit of ${maxChars}: shorten it or split it into several statements`,
      );
    }
    problems.throwIfAny();

    const estimated = statements.some((s) => hasIntrinsics(s.json));
    if (estimated) {
      Annotations.of(this).addWarningV2('cdk-iam-landing-zone:scpSizeEstimated',
        `guardrail statements hold values known only at deploy time; the ${maxChars}-character limit is checked with pseudo parameters at their longest value and any other expression as ${UNRESOLVED_ALLOWANCE_CHARS} characters`);
    }

    this.policies = [];
    this.policyInfo = [];
    packed.policies.forEach((p, i) => this.createPolicy(p, i, baseName, props.description));

    for (const t of this.targets.filter((x) => x.isManagementAccount)) {
      Annotations.of(this).addWarningV2('cdk-iam-landing-zone:scpManagementAccount',
        `target ${t.description} is the management account: service control policies do not apply there, so these guardrails do not protect it`);
    }
    this.registerAttachment(maxPerTarget, external);
  }

  private createPolicy(p: PackedPolicy, i: number, baseName: string, description: string | undefined): void {
    const name = packedPolicyName(baseName, i);
    const guardrails = uniqueBy(p.statements.map((s) => s.guardrail), (x) => x);
    const doc = scpDocument(p.statements.map((s) => s.json));
    // the L1 takes the document as an object; CloudFormation stores it as minified JSON, which is what was measured
    const policy = new organizations.CfnPolicy(this, packedPolicyId(i), {
      name,
      type: 'SERVICE_CONTROL_POLICY',
      description: description ?? truncate(`landing zone guardrails: ${guardrails.join(', ')}`, 512),
      content: doc,
      targetIds: this.targets.map((t) => t.targetId),
      tags: [{ key: LZ_MANAGED_TAG_KEY, value: 'true' }],
    });
    this.policies.push(policy);
    this.policyInfo.push({ name, guardrails, size: p.size });
  }

  // the app-wide rules (quota per target, unique names) run at synth over every construct's plan
  private registerAttachment(maxPerTarget: number, external: number): void {
    const attachment: ScpAttachmentPlan = {
      path: this.node.path,
      policyNames: this.policyInfo.map((p) => p.name),
      targets: this.targets,
      maxPerTarget,
      external,
    };
    const plans = attachmentsOf(this);
    plans.push(attachment);
    this.node.addValidation({
      validate: () => {
        const errors = checkScpAttachments(attachment, plans);
        return errors.length === 0 ? [] : [formatProblems(this.node.path, errors)];
      },
    });
  }
}

const GUARDRAILS = { field: 'guardrails', noun: 'guardrail' };

function checkLimits(problems: Problems, props: GuardrailPoliciesProps): { maxChars: number; maxPerTarget: number; external: number } {
  const maxChars = props.maxPolicyCharacters ?? LIMITS.SCP_DOCUMENT_CHARS;
  if (!Number.isInteger(maxChars) || maxChars < 100 || maxChars > LIMITS.SCP_DOCUMENT_CHARS) {
    problems.add('maxPolicyCharacters', `must be an integer from 100 to ${LIMITS.SCP_DOCUMENT_CHARS} (the AWS limit), got ${maxChars}`);
  }
  const maxPerTarget = props.maxPoliciesPerTarget ?? LIMITS.SCPS_PER_TARGET;
  if (!Number.isInteger(maxPerTarget) || maxPerTarget < 1) {
    problems.add('maxPoliciesPerTarget', `must be a positive integer, got ${maxPerTarget}`);
  }
  const external = props.externallyAttachedPolicies ?? 1;
  if (!Number.isInteger(external) || external < 0) {
    problems.add('externallyAttachedPolicies', `must be a non-negative integer, got ${external}`);
  }
  return { maxChars, maxPerTarget, external };
}
