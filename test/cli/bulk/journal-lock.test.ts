/**
 * The journal's lock when resumes start together after a kill: both find the same dead
 * process in the lock, and exactly one may take it over. Real processes race on a real file.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { builtCli } from '../../helpers/cli.js';

const LOCK_MODULE = resolve(__dirname, '..', '..', '..', 'dist', 'esm', 'cli', 'bulk', 'journal-lock.js');

let dir: string;
beforeEach(() => {
  builtCli();
  dir = mkdtempSync(join(tmpdir(), 'metaclear-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A process ID that no longer exists: that of a child that has ended. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid as number;
}

/** A process that takes the lock when told `go`, says `held` or `refused`, and gives it back when stdin ends. */
function contender(journal: string): { child: ChildProcessWithoutNullStreams; said: Promise<string> } {
  const script = `
    import { JournalLock } from ${JSON.stringify(LOCK_MODULE)};
    let lock;
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', () => {
      if (lock !== undefined) return;
      try { lock = JournalLock.take(${JSON.stringify(journal)}, 'j', Date.now()); process.stdout.write('held\\n'); }
      catch (error) { lock = null; process.stdout.write('refused\\n'); }
    });
    process.stdin.on('end', () => { lock?.release(); });
    process.stdout.write('ready\\n');`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'pipe' });
  let out = '';
  child.stdout.setEncoding('utf8');
  const said = new Promise<string>((done, fail) => {
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      const answer = /^(held|refused)$/m.exec(out);
      if (answer) done(answer[1] as string);
    });
    child.on('exit', () => fail(new Error(`ended before answering: ${out}`)));
  });
  return { child, said };
}

it('three runs that find the same dead process in the lock: exactly one takes it over (40 rounds)', async () => {
  const journal = join(dir, 'run.journal');
  let bothHeld = 0;
  let noneHeld = 0;
  for (let round = 0; round < 40; round++) {
    writeFileSync(
      `${journal}.lock`,
      `${JSON.stringify({ pid: deadPid(), host: hostname(), since: new Date(0).toISOString() })}\n`,
    );
    const racers = [contender(journal), contender(journal), contender(journal)];
    // Each is ready (loaded), then all are told to go at once.
    await Promise.all(
      racers.map(
        ({ child }) =>
          new Promise<void>((done) => {
            let out = '';
            child.stdout.on('data', (chunk: string) => {
              out += chunk;
              if (out.includes('ready')) done();
            });
          }),
      ),
    );
    for (const { child } of racers) child.stdin.write('go\n');
    const answers = await Promise.all(racers.map(({ said }) => said));
    const held = answers.filter((answer) => answer === 'held').length;
    if (held > 1) bothHeld++;
    if (held === 0) noneHeld++;
    await Promise.all(
      racers.map(
        ({ child }) =>
          new Promise<void>((done) => {
            child.on('exit', () => done());
            child.stdin.end();
          }),
      ),
    );
  }
  expect(bothHeld).toBe(0);
  expect(noneHeld).toBe(0);
});

it('a takeover guard left by a run that died is not removed by another run: the message says to delete it', () => {
  const journal = join(dir, 'run.journal');
  const dead = (): string =>
    `${JSON.stringify({ pid: deadPid(), host: hostname(), since: new Date(0).toISOString() })}\n`;
  writeFileSync(`${journal}.lock`, dead());
  writeFileSync(`${journal}.lock.takeover`, dead());
  const run = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { JournalLock } from ${JSON.stringify(LOCK_MODULE)};
       try { JournalLock.take(${JSON.stringify(journal)}, 'j', Date.now()); console.log('held'); }
       catch (error) { console.log(error.message); }`,
    ],
    { encoding: 'utf8' },
  );
  expect(run.stdout.trim()).toBe(
    `a run that was taking over the lock ${journal}.lock ended before it finished; if no run is using the journal, delete ${journal}.lock.takeover`,
  );
});
