import { Stack, Token } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import { Construct } from 'constructs';
import { DeniedActionForwarder } from './denied-action-forwarder';
import { Organization } from '../organization';
import { StackSetCallAs } from '../organizational-unit-landing-zone';
import { REGION_PATTERN } from '../private/patterns';
import { renderStackTemplate, stackSetTemplateSource } from '../private/stack-template';
import { Problems } from '../private/validation';

/**
 * Properties of `DeniedActionForwarding`.
 */
export interface DeniedActionForwardingProps {
  /** The organization. */
  readonly organization: Organization;

  /** The ARN of the `DeniedActionAlerts` event bus. */
  readonly eventBusArn: string;

  /**
   * The regions to forward from. Include us-east-1, where the events of global services (IAM, Organizations, STS's
   * global endpoint) arrive.
   */
  readonly regions: string[];

  /**
   * Name of the StackSet.
   *
   * @default 'lz-denied-action-forwarding'
   */
  readonly stackSetName?: string;

  /**
   * Who manages the StackSet.
   *
   * @default StackSetCallAs.SELF
   */
  readonly callAs?: StackSetCallAs;
}

/**
 * A service-managed StackSet, from the management account, that puts a `DeniedActionForwarder` in every member
 * account of the organization (the root is the target, so accounts created later get one too) and every given region.
 * StackSets never reach the management account: add a `DeniedActionForwarder` to a stack of the management account
 * in each region (`LandingZone` does).
 */
export class DeniedActionForwarding extends Construct {
  /** The StackSet. */
  public readonly stackSet: cloudformation.CfnStackSet;

  constructor(scope: Construct, id: string, props: DeniedActionForwardingProps) {
    super(scope, id);
    const problems = Problems.of(this);
    const org = props.organization;
    if (props.regions.length === 0) problems.add('regions', 'at least one region is needed, got none');
    props.regions.forEach((r, i) => {
      if (!REGION_PATTERN.test(r)) problems.add(`regions[${i}]`, `region '${r}' must be a region code such as 'eu-central-1'`);
    });
    if (!props.regions.includes('us-east-1')) {
      problems.add('regions', 'us-east-1 is missing: the denied calls of global services (IAM, Organizations) reach EventBridge there only');
    }
    const account = Stack.of(this).account;
    const self = (props.callAs ?? StackSetCallAs.SELF) === StackSetCallAs.SELF;
    if (self && !Token.isUnresolved(account) && account !== org.managementAccount.accountId) {
      problems.add('scope', `a service-managed StackSet with callAs SELF is managed from the management account ${org.managementAccount.accountId}, but the stack deploys to ${account}`);
    }
    problems.throwIfAny();

    const body = JSON.stringify(renderStackTemplate(this, (stack) => {
      new DeniedActionForwarder(stack, 'Forwarder', { eventBusArn: props.eventBusArn });
    }));
    this.stackSet = new cloudformation.CfnStackSet(this, 'StackSet', {
      stackSetName: props.stackSetName ?? 'lz-denied-action-forwarding',
      description: 'Forward CloudTrail API calls refused by IAM, from every member account, to the security tooling account',
      permissionModel: 'SERVICE_MANAGED',
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      callAs: props.callAs ?? StackSetCallAs.SELF,
      capabilities: ['CAPABILITY_IAM'],
      managedExecution: { Active: true },
      operationPreferences: { failureTolerancePercentage: 0, maxConcurrentPercentage: 25, regionConcurrencyType: 'PARALLEL' },
      stackInstancesGroup: [{ deploymentTargets: { organizationalUnitIds: [org.rootId] }, regions: [...props.regions] }],
      ...stackSetTemplateSource(this, 'Template', body),
    });
  }
}
