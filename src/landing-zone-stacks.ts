import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * Properties of a landing zone's stack factory.
 */
export interface LandingZoneStacksProps {
  /** Prefix of every stack name. */
  readonly stackNamePrefix: string;

  /** The region of every stack. */
  readonly region: string;

  /**
   * Extra stack properties (tags, termination protection, synthesizer) for every stack.
   *
   * @default - none
   */
  readonly stackProps?: StackProps;
}

/**
 * Where the stacks of a landing zone come from: one naming (`<prefix>-<name>`), one region and one set of stack
 * properties for all of them, and the StackSet baseline templates rendered once for OUs with the same baseline.
 * `LandingZone` creates it and hands it to the constructs it composes (`LandingZone.stacks`), so none of them asks
 * the landing zone to create a stack.
 */
export class LandingZoneStacks {
  /** Prefix of every stack name. */
  public readonly stackNamePrefix: string;
  /** The region of every stack. */
  public readonly region: string;

  private readonly stackProps?: StackProps;
  private readonly rendered = new Map<string, string>();

  constructor(props: LandingZoneStacksProps) {
    this.stackNamePrefix = props.stackNamePrefix;
    this.region = props.region;
    this.stackProps = props.stackProps;
  }

  /**
   * A stack named `<prefix>-<name>` in the account, in the landing zone's region.
   *
   * @param scope the construct the stack is created in
   * @param id the stack's construct id
   * @param name the stack name after the prefix
   * @param accountId the account the stack deploys to
   * @param description what the stack holds, after `cdk-iam-landing-zone: `
   */
  public newStack(scope: Construct, id: string, name: string, accountId: string, description: string): Stack {
    return new Stack(scope, id, {
      ...this.stackProps,
      stackName: `${this.stackNamePrefix}-${name}`,
      env: { account: accountId, region: this.region },
      description: `cdk-iam-landing-zone: ${description}`,
    });
  }

  /**
   * Renders a template once per key (identical OU baselines share one rendering).
   * @internal
   */
  public _renderOnce(key: string, render: () => string): string {
    let body = this.rendered.get(key);
    if (body === undefined) {
      body = render();
      this.rendered.set(key, body);
    }
    return body;
  }
}
