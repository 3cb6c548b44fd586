import { CfnResource, IAspect, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { currentProperty } from '../private/cfn-inspect';
import { LZ_BOUNDARY_POLICY_NAME } from '../private/conventions';

/**
 * Properties of the `ApplyPermissionsBoundary` aspect.
 */
export interface ApplyPermissionsBoundaryProps {
  /**
   * The managed policy to attach as permissions boundary.
   *
   * @default - the landing zone boundary `lz-permissions-boundary` of the account each role deploys to
   */
  readonly boundary?: iam.IManagedPolicy;

  /**
   * Whether IAM users get the boundary too.
   *
   * @default false - only roles are changed; users keep what they have
   */
  readonly includeUsers?: boolean;
}

/**
 * Attaches a permissions boundary to every IAM role in scope that has none (and, with `includeUsers`, every
 * IAM user). Opt-in: `Aspects.of(scope).add(new ApplyPermissionsBoundary())`.
 *
 * Unlike `iam.PermissionsBoundary.of(scope).apply()`, it keeps a boundary a role already has, and it matches
 * resources by CloudFormation type, so it also reaches roles of third-party constructs, `CfnInclude`d templates
 * and raw `CfnResource`s. The default boundary must exist in every account the roles deploy to (deploy
 * `LandingZoneBoundary` there first, e.g. through a StackSet).
 */
export class ApplyPermissionsBoundary implements IAspect {
  private readonly boundary?: iam.IManagedPolicy;
  private readonly includeUsers: boolean;

  constructor(props: ApplyPermissionsBoundaryProps = {}) {
    this.boundary = props.boundary;
    this.includeUsers = props.includeUsers ?? false;
  }

  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node)) return;
    const type = node.cfnResourceType;
    if (type !== 'AWS::IAM::Role' && !(this.includeUsers && type === 'AWS::IAM::User')) return;
    if (currentProperty(node, 'PermissionsBoundary').value !== undefined) return;
    const arn = this.boundary?.managedPolicyArn ?? Stack.of(node).formatArn({
      service: 'iam',
      region: '',
      resource: 'policy',
      resourceName: LZ_BOUNDARY_POLICY_NAME,
    });
    node.addPropertyOverride('PermissionsBoundary', arn);
  }
}
