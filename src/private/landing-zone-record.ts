import * as fs from 'fs';
import * as path from 'path';
import { attachCustomSynthesis, ISynthesisSession, Stage } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';

/**
 * What a landing zone assumes about its organization that no template shows, written into the cloud assembly as
 * `landing-zone.json` for `lz-org preflight` (which reads everything else from the templates).
 */
export interface LandingZoneRecord {
  readonly path: string;
  readonly stackNamePrefix: string;
  readonly region: string;
  readonly rootId: string;
  readonly managementAccountId: string;
  readonly jumpAccountId?: string;
  readonly identityCenterAccountId?: string;
  readonly maxPoliciesPerTarget: number;
}

export const LANDING_ZONE_RECORD_FILE = 'landing-zone.json';
const ID = 'LandingZoneDeploymentRecord';

class DeploymentRecord extends Construct {
  public readonly entries: Array<() => LandingZoneRecord> = [];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    attachCustomSynthesis(this, {
      onSynthesize: (session: ISynthesisSession) => {
        fs.mkdirSync(session.outdir, { recursive: true });
        fs.writeFileSync(path.join(session.outdir, LANDING_ZONE_RECORD_FILE),
          `${JSON.stringify({ version: 1, landingZones: this.entries.map((e) => e()) }, undefined, 2)}\n`);
      },
    });
  }
}

/** Adds a landing zone to the record of its stage (one file per cloud assembly), computed at synth. */
export function recordLandingZone(scope: IConstruct, entry: () => LandingZoneRecord): void {
  const root: IConstruct = Stage.of(scope) ?? scope.node.root;
  const record = (root.node.tryFindChild(ID) as DeploymentRecord | undefined) ?? new DeploymentRecord(root as Construct, ID);
  record.entries.push(entry);
}
