// What a synthesized landing zone needs from the organization, read from the cloud assembly (`cdk.out`) rather than
// by running constructs again: stack environments and bootstrap requirements from manifest.json, and from every
// template (nested stacks and StackSet bodies included) the policies and their targets, StackSets, Identity Center
// instances and identity stores, organization-wide analyzers, and which stacks hold IAM users or grant Identity Center
// access. `landing-zone.json`, written at synth by each `LandingZone`, adds what no template shows (the SCP quota the
// app was built for, the model's root and accounts).
import * as fs from 'fs';
import * as path from 'path';
import type { LandingZoneRecord } from '../../private/landing-zone-record';
import { CliError } from '../common/output';

export type { LandingZoneRecord };

export enum StackRole {
  /** Holds IAM users: the jump account. */
  JUMP_ACCOUNT = 'jump account',
  /** Holds service control or resource control policies. */
  POLICIES = 'organization policies',
  /** Holds service-managed StackSets. */
  STACK_SETS = 'stacksets',
  /** Holds Identity Center resources or may create account assignments. */
  IDENTITY_CENTER = 'identity center administration',
  /** Runs a state machine that may create Identity Center account assignments. */
  ELEVATED_ACCESS = 'elevated access workflow',
  /** Holds an organization-wide IAM Access Analyzer. */
  ACCESS_ANALYZER = 'organization access analyzer',
}

export interface AssemblyStack {
  readonly stackName: string;
  /** Undefined for environment-agnostic stacks. */
  readonly account?: string;
  readonly region?: string;
  readonly roles: StackRole[];
  readonly bootstrap?: BootstrapRequirement;
}

export interface BootstrapRequirement {
  readonly version: number;
  readonly parameter: string;
  /** CDK's read-only lookup role, with `${AWS::Partition}` left in. */
  readonly lookupRoleArn?: string;
}

export interface PolicyRequirement {
  readonly stackName: string;
  readonly account?: string;
  /** `SERVICE_CONTROL_POLICY`, `RESOURCE_CONTROL_POLICY`, ... */
  readonly type: string;
  readonly name?: string;
  readonly targetIds: string[];
}

export interface StackSetRequirement {
  readonly stackName: string;
  readonly account?: string;
  readonly region?: string;
  readonly name?: string;
  readonly callAs: string;
  readonly organizationalUnitIds: string[];
  /** Accounts trusted (`iam::<id>:root`) by roles of the StackSet's template: the jump account of a baseline. */
  readonly trustedAccounts: string[];
}

export interface IdentityCenterReference {
  readonly stackName: string;
  readonly account?: string;
  readonly region?: string;
  /** The instance id, e.g. `ssoins-72230f3a2b8c1e9d`. */
  readonly instanceIds: string[];
  readonly identityStoreIds: string[];
  /** Accounts that receive `AWS::SSO::Assignment`s from this stack. */
  readonly assignmentAccounts: string[];
}

export interface AssemblyRequirements {
  readonly directory: string;
  readonly stacks: AssemblyStack[];
  readonly policies: PolicyRequirement[];
  readonly stackSets: StackSetRequirement[];
  readonly identityCenter: IdentityCenterReference[];
  readonly analyzers: Array<{ readonly stackName: string; readonly account?: string; readonly type: string }>;
  readonly landingZones: LandingZoneRecord[];
}

// the same name as LANDING_ZONE_RECORD_FILE of the library (not imported: the CLI bundle must not load aws-cdk-lib)
const LANDING_ZONE_RECORD_FILE = 'landing-zone.json';

const INSTANCE_ID = /instance\/((?:sso)?ins-[A-Za-z0-9.-]{16})/g;
const IDENTITY_STORE_ID = /(?<![A-Za-z0-9-])d-[0-9a-f]{10}(?![A-Za-z0-9-])/g;
const TRUSTED_ROOT = /:iam::(\d{12}):root/g;
const ORG_ANALYZERS = new Set(['ORGANIZATION', 'ORGANIZATION_UNUSED_ACCESS', 'ORGANIZATION_INTERNAL_ACCESS']);

export function readCloudAssembly(directory: string): AssemblyRequirements {
  const manifestFile = path.join(directory, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new CliError(`${manifestFile} not found: synthesize the app first (npx cdk synth), or pass --app <cdk.out directory>`, 2);
  }
  const out: AssemblyRequirements = { directory, stacks: [], policies: [], stackSets: [], identityCenter: [], analyzers: [], landingZones: [] };
  readAssembly(directory, out);
  return out;
}

interface Manifest {
  readonly artifacts?: Record<string, {
    readonly type: string;
    readonly environment?: string;
    readonly properties?: Record<string, any>;
    readonly dependencies?: string[];
  }>;
}

function readAssembly(dir: string, out: AssemblyRequirements): void {
  const manifest = readJson<Manifest>(path.join(dir, 'manifest.json'));
  const artifacts = manifest.artifacts ?? {};
  const record = path.join(dir, LANDING_ZONE_RECORD_FILE);
  if (fs.existsSync(record)) out.landingZones.push(...(readJson<{ landingZones?: LandingZoneRecord[] }>(record).landingZones ?? []));

  for (const [id, artifact] of Object.entries(artifacts)) {
    if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      readAssembly(path.join(dir, artifact.properties.directoryName), out); // stages
      continue;
    }
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    const props = artifact.properties ?? {};
    const env = /^aws:\/\/([^/]+)\/(.+)$/.exec(artifact.environment ?? '');
    const account = env && /^\d{12}$/.test(env[1]) ? env[1] : undefined;
    const region = env && !env[2].startsWith('unknown-') ? env[2] : undefined;
    const stackName: string = props.stackName ?? id;

    const templates = [readJson<Template>(path.join(dir, props.templateFile))];
    for (const dep of artifact.dependencies ?? []) {
      const assets = artifacts[dep];
      if (assets?.type !== 'cdk:asset-manifest') continue;
      const files = readJson<{ files?: Record<string, { source?: { path?: string } }> }>(path.join(dir, assets.properties!.file)).files ?? {};
      for (const f of Object.values(files)) {
        const p = f.source?.path;
        if (p && p.endsWith('.template.json') && p !== props.templateFile) templates.push(readJson<Template>(path.join(dir, p)));
      }
    }

    const roles = new Set<StackRole>();
    const ic = { instanceIds: new Set<string>(), identityStoreIds: new Set<string>(), assignmentAccounts: new Set<string>() };
    let stateMachine = false;
    let assigns = false;
    for (const template of templates) {
      const text = JSON.stringify(template);
      for (const m of text.matchAll(INSTANCE_ID)) ic.instanceIds.add(m[1]);
      for (const m of text.matchAll(IDENTITY_STORE_ID)) ic.identityStoreIds.add(m[0]);
      for (const [, r] of Object.entries(template.Resources ?? {})) {
        const p = r.Properties ?? {};
        switch (r.Type) {
          case 'AWS::IAM::User':
            roles.add(StackRole.JUMP_ACCOUNT);
            break;
          case 'AWS::Organizations::Policy':
            roles.add(StackRole.POLICIES);
            out.policies.push({
              stackName,
              account,
              type: String(p.Type),
              name: typeof p.Name === 'string' ? p.Name : undefined,
              targetIds: (Array.isArray(p.TargetIds) ? p.TargetIds : []).filter((t: unknown): t is string => typeof t === 'string'),
            });
            break;
          case 'AWS::CloudFormation::StackSet':
            if (p.PermissionModel !== 'SERVICE_MANAGED') break;
            roles.add(StackRole.STACK_SETS);
            out.stackSets.push({
              stackName,
              account,
              region,
              name: typeof p.StackSetName === 'string' ? p.StackSetName : undefined,
              callAs: p.CallAs ?? 'SELF',
              organizationalUnitIds: [...new Set<string>((p.StackInstancesGroup ?? [])
                .flatMap((g: any) => g.DeploymentTargets?.OrganizationalUnitIds ?? [])
                .filter((o: unknown) => typeof o === 'string'))].sort(),
              trustedAccounts: [...new Set([...String(p.TemplateBody ?? '').matchAll(TRUSTED_ROOT)].map((m) => m[1]))].sort(),
            });
            break;
          case 'AWS::AccessAnalyzer::Analyzer':
            if (ORG_ANALYZERS.has(p.Type)) {
              roles.add(StackRole.ACCESS_ANALYZER);
              out.analyzers.push({ stackName, account, type: p.Type });
            }
            break;
          case 'AWS::StepFunctions::StateMachine':
            stateMachine = true;
            break;
          default:
            if (r.Type.startsWith('AWS::SSO::')) {
              assigns = true;
              if (r.Type === 'AWS::SSO::Assignment' && typeof p.TargetId === 'string') ic.assignmentAccounts.add(p.TargetId);
            }
        }
        if (grantsAssignments(r)) assigns = true;
      }
    }
    if (assigns) roles.add(StackRole.IDENTITY_CENTER);
    if (assigns && stateMachine) roles.add(StackRole.ELEVATED_ACCESS);
    if (ic.instanceIds.size > 0 || ic.identityStoreIds.size > 0 || ic.assignmentAccounts.size > 0) {
      out.identityCenter.push({
        stackName,
        account,
        region,
        instanceIds: [...ic.instanceIds].sort(),
        identityStoreIds: [...ic.identityStoreIds].sort(),
        assignmentAccounts: [...ic.assignmentAccounts].sort(),
      });
    }

    const version = Number(props.requiresBootstrapStackVersion);
    out.stacks.push({
      stackName,
      account,
      region,
      roles: [...roles].sort(),
      bootstrap: props.bootstrapStackVersionSsmParameter && Number.isFinite(version) ? {
        version, parameter: props.bootstrapStackVersionSsmParameter, lookupRoleArn: props.lookupRole?.arn,
      } : undefined,
    });
  }
}

interface Template {
  readonly Resources?: Record<string, { readonly Type: string; readonly Properties?: Record<string, any> }>;
}

/** Whether an IAM policy in the resource allows creating Identity Center account assignments. */
function grantsAssignments(r: { Type: string; Properties?: Record<string, any> }): boolean {
  const docs: any[] = [];
  if (r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') docs.push(r.Properties?.PolicyDocument);
  if (r.Type === 'AWS::IAM::Role') docs.push(...(r.Properties?.Policies ?? []).map((p: any) => p.PolicyDocument));
  return docs.some((d) => (d?.Statement ?? []).some((s: any) => s.Effect === 'Allow'
    && [s.Action].flat().some((a: unknown) => typeof a === 'string' && /^sso:(\*|CreateAccountAssignment)$/i.test(a))));
}

function readJson<T>(file: string): T {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${(e as Error).message.split('\n')[0]}`, 2);
  }
}
