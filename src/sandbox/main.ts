/**
 * `npm run sandbox [-- --port N]`: starts the sandbox on 127.0.0.1 (port 4010 unless --port
 * says otherwise; --port 0 picks a free one), seeds the demo state, prints the two base URLs,
 * and stops on SIGINT or SIGTERM.
 */
import { DEMO, seedDemoState } from './demo-state.js';
import { startSandbox } from './index.js';

const DEFAULT_PORT = 4010;

function portFrom(args: readonly string[]): number {
  const at = args.findIndex((arg) => arg === '--port' || arg.startsWith('--port='));
  if (at < 0) return DEFAULT_PORT;
  const arg = args[at] ?? '';
  const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[at + 1];
  const port = Number(value);
  if (value === undefined || value === '' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(
      `--port needs a port number from 0 to 65535, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`,
    );
  }
  return port;
}

async function main(): Promise<void> {
  const sandbox = await startSandbox({ port: portFrom(process.argv.slice(2)) });
  seedDemoState(sandbox);
  const basic = Buffer.from(`${DEMO.oracleUser}:${DEMO.oraclePassword}`).toString('base64');
  process.stdout.write(
    [
      `metaclear sandbox listening on ${sandbox.url}`,
      `Edge Impulse base URL: ${sandbox.edgeImpulseBaseUrl}`,
      `Oracle base URL: ${sandbox.oracleBaseUrl}`,
      '',
      `Edge Impulse: project ${DEMO.edgeImpulseProjectId} has 6 samples; any x-api-key works (e.g. ${DEMO.edgeImpulseApiKey}).`,
      `Oracle: file ${DEMO.oracleFileId} is owned by ${DEMO.oracleUser} (Authorization: Basic ${basic});`,
      `        file ${DEMO.oracleAppLinkFileId} is reachable with the applink of the docs page's example 3.`,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: stopping the sandbox\n`);
    sandbox.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`could not stop cleanly: ${(error as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`metaclear sandbox: ${(error as Error).message}\n`);
  process.exit(1);
});
