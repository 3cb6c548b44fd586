import { Writable } from 'stream';
import { CliError, describeError, formatTable, Output, runCommand } from '../../src/cli/common/output';

function sink(): Writable & { text: string } {
  const s = new Writable({ write(chunk, _enc, cb) { s.text += String(chunk); cb(); } }) as Writable & { text: string };
  s.text = '';
  return s;
}

describe('cli output', () => {
  test('a table aligns columns, upper-cases headings and shows missing cells as -', () => {
    // GIVEN
    const rows = [{ id: 'r-1', who: 'alice', note: undefined }, { id: 'request-22', who: 'bob', note: 'two\nlines' }];
    // WHEN
    const text = formatTable(rows, [
      { heading: 'id', value: (r) => r.id },
      { heading: 'who', value: (r) => r.who },
      { heading: 'note', value: (r) => r.note },
    ]);
    // THEN
    expect(text.split('\n')).toEqual([
      'ID          WHO    NOTE',
      'r-1         alice  -',
      'request-22  bob    two lines',
    ]);
  });

  test('--json prints the rows as JSON and no table', () => {
    const out = sink();
    const output = new Output(true, { out, err: sink() });
    output.table([{ a: 1 }], [{ heading: 'a', value: (r) => r.a }]);
    output.say('not for machines');
    expect(JSON.parse(out.text)).toEqual([{ a: 1 }]);
  });

  test('an error becomes one line and an exit code', async () => {
    const err = sink();
    const output = new Output(false, { out: sink(), err });
    const aws = Object.assign(new Error('User is not authorized\nat line 2'), { name: 'AccessDeniedException' });
    expect(await runCommand(async () => { throw aws; }, output)).toBe(1);
    expect(await runCommand(async () => { throw new CliError('--duration must be like 2h', 2); }, output)).toBe(2);
    expect(err.text).toBe('error: AccessDeniedException: User is not authorized\nerror: --duration must be like 2h\n');
    expect(describeError('plain')).toBe('plain');
  });

  test('progress is silent when stderr is not a terminal', () => {
    const err = sink();
    const p = new Output(false, { out: sink(), err }).progress('waiting');
    p.update('1 of 3');
    p.done();
    expect(err.text).toBe('');
  });
});
