import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildLandingZone } from '../../examples/landing-zone/app';
import { LandingZone } from '../../src';

/** The example landing zone, built once per test file. */
export interface ExampleLandingZone {
  readonly app: App;
  readonly lz: LandingZone;
  readonly stacks: Stack[];
  stack(stackName: string): Stack;
  template(stackName: string): Template;
  /** The template body of the baseline StackSet of an OU stack (e.g. `Lz-Ou-Workloads`). */
  stackSetBody(stackName: string): any;
}

export function exampleLandingZone(): ExampleLandingZone {
  const app = new App();
  const lz = buildLandingZone(app);
  const stacks = app.node.findAll().filter(Stack.isStack).filter((s) => !s.nested);
  const stack = (name: string) => {
    const found = stacks.find((s) => s.stackName === name);
    if (!found) throw new Error(`no stack ${name}; have ${stacks.map((s) => s.stackName).join(', ')}`);
    return found;
  };
  const template = (name: string) => Template.fromStack(stack(name));
  const stackSetBody = (name: string) => {
    const sets = Object.values(template(name).findResources('AWS::CloudFormation::StackSet')) as any[];
    if (sets.length !== 1) throw new Error(`expected one StackSet in ${name}, found ${sets.length}`);
    return JSON.parse(sets[0].Properties.TemplateBody);
  };
  return { app, lz, stacks, stack, template, stackSetBody };
}
