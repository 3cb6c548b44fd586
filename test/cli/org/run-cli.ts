import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Writable } from 'stream';
import { main } from '../../../src/cli/lz-org.cli';
import { OrgClientOptions, OrgClients } from '../../../src/cli/org/clients';

export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export function sink(isTTY = false): Writable & { text: string; isTTY?: boolean } {
  const s = new Writable({ write(chunk, _enc, cb) { s.text += String(chunk); cb(); } }) as Writable & { text: string; isTTY?: boolean };
  s.text = '';
  s.isTTY = isTTY;
  return s;
}

/** Runs `lz-org <args>` in-process, capturing what it prints. */
export async function lzOrg(args: string[], options: { tty?: boolean; clients?: (o: OrgClientOptions) => OrgClients } = {}): Promise<CliRun> {
  const out = sink();
  const err = sink(options.tty);
  const code = await main(['node', 'lz-org', ...args], { streams: { out, err }, clients: options.clients });
  return { code, out: out.text, err: err.text };
}

/** The repository root and its `src`, which generated modules import in tests. */
export const REPO = path.resolve(__dirname, '../../..');
export const SRC = path.join(REPO, 'src');

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `lz-org-${prefix}-`));
}
