import { Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { deniedActionEventPattern } from '../private/denied-actions';

/**
 * Properties of `DeniedActionForwarder`.
 */
export interface DeniedActionForwarderProps {
  /** The ARN of the `DeniedActionAlerts` event bus, in the security tooling account. */
  readonly eventBusArn: string;
}

/**
 * Forwards the CloudTrail API calls that IAM refused in this account and region to the organization's
 * denied-action event bus. CloudTrail delivers an account's events to EventBridge in that account only, so every
 * account needs one per region it is used in, and one in us-east-1 for global services (IAM, STS's global endpoint,
 * Organizations). The rule's state is `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`: without it EventBridge leaves
 * out read-only calls (`Get*`, `List*`, `Describe*`), which is how probing looks.
 */
export class DeniedActionForwarder extends Construct {
  /** The forwarding rule on the default event bus. */
  public readonly rule: events.CfnRule;
  /** The role EventBridge uses to put events on the central bus. */
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: DeniedActionForwarderProps) {
    super(scope, id);
    const stack = Stack.of(this);
    // no name: the same template runs in several regions of one account, and role names are global
    this.role = new iam.Role(this, 'Role', {
      description: 'EventBridge forwards denied-action events to the security tooling account',
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    });
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [props.eventBusArn] }));
    for (const rule of ['HIPAA.Security-IAMNoInlinePolicy', 'NIST.800.53.R5-IAMNoInlinePolicy']) {
      Validations.of(this.role.node.findChild('DefaultPolicy')).acknowledge({ id: rule, reason: 'events:PutEvents on the one central bus, bound to this role and deleted with it' });
    }
    this.rule = new events.CfnRule(this, 'Rule', {
      description: 'Forward CloudTrail API calls refused by IAM to the organization\'s denied-action bus',
      state: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
      eventPattern: deniedActionEventPattern(),
      targets: [{ id: 'DeniedActionBus', arn: props.eventBusArn, roleArn: this.role.roleArn }],
    });
  }
}
