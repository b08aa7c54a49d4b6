// The extension's host client against a real forked host process running a fake engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { CancellationTokenSource, createMessageConnection, ErrorCodes, IPCMessageReader, IPCMessageWriter, ResponseError } from 'vscode-jsonrpc/node';
import { InspectRequest, TrainRequest } from '../../src/protocol/host';
import { HostClient, type HostLog } from '../../src/extension/host/hostClient';
import { HostExitedError, HostUserError, type HostExit } from '../../src/extension/host/hostErrors';
import type { TrainingEvent } from '../../src/protocol/run';

const script = join(__dirname, 'host.fixture.ts');

function recordingLog(): HostLog & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`), error: (m) => lines.push(`error ${m}`) };
}

function startClient(log: HostLog): HostClient {
  return new HostClient({ script, log, execArgv: ['--import', 'tsx'] });
}

test('inspect returns validated layers, and a user error arrives as HostUserError with file and fix', async () => {
  const client = startClient(recordingLog());
  try {
    const result = await client.request(InspectRequest, { target: 'model.json' });
    assert.deepEqual(result.layers.map((l) => l.name), ['conv', 'dense']);
    await assert.rejects(client.request(InspectRequest, { target: 'missing.json' }), (error: unknown) => {
      assert.ok(error instanceof HostUserError);
      assert.match(error.message, /missing\.json: does not exist\. Pick a model\.json/);
      assert.equal(error.data?.file, 'missing.json');
      return true;
    });
  } finally {
    client.dispose();
  }
});

// The fixture trains forever unless its AbortSignal fires: the timeout only turns a broken cancel into a failure, not a hang.
test('training streams valid events, drops malformed ones with a log line, and cancelling the token ends it as cancelled', { timeout: 60_000 }, async () => {
  const log = recordingLog();
  const client = startClient(log);
  const stop = new CancellationTokenSource();
  try {
    const events: TrainingEvent[] = [];
    client.onTrainingEvent((event) => {
      events.push(event);
      if (events.length === 2) stop.cancel();
    });
    const result = await client.request(TrainRequest, { projectFile: 'forever', backend: 'cpu' }, stop.token);
    assert.equal(result.status, 'cancelled');
    assert.ok(events.length >= 2 && events.every((e) => e.type === 'batch'));
    assert.equal(log.lines.filter((l) => l.includes('ignored a malformed message')).length, 2);
  } finally {
    stop.dispose();
    client.dispose();
  }
});

test('a host killed mid-training rejects the pending request with the signal and last stderr lines', async () => {
  const client = startClient(recordingLog());
  const exits: HostExit[] = [];
  client.onExit((exit) => exits.push(exit));
  await assert.rejects(client.request(TrainRequest, { projectFile: 'crash', backend: 'cpu' }), (error: unknown) => {
    assert.ok(error instanceof HostExitedError);
    assert.equal(error.exit.signal, 'SIGKILL');
    assert.equal(error.exit.expected, false);
    assert.ok(error.exit.stderrTail.includes('allocating a very large tensor'));
    assert.match(error.message, /killed \(SIGKILL\).*out of memory/);
    return true;
  });
  assert.equal(exits.length, 1);
  // Later requests fail at once instead of hanging on a dead process.
  await assert.rejects(client.request(InspectRequest, { target: 'model.json' }), HostExitedError);
  client.dispose();
});

test('dispose stops the host and marks the exit as expected', async () => {
  const client = startClient(recordingLog());
  await client.request(InspectRequest, { target: 'model.json' });
  const exited = new Promise<HostExit>((resolve) => client.onExit(resolve));
  client.dispose();
  assert.equal((await exited).expected, true);
});

test('the host exits by itself when its parent disconnects (VS Code closed or crashed)', async () => {
  const child = fork(script, [], { silent: true, execArgv: ['--import', 'tsx'] });
  const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  connection.listen();
  try {
    await connection.sendRequest(InspectRequest, { target: 'model.json' });
    const exited = once(child, 'exit');
    child.disconnect();
    const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
    assert.deepEqual({ code, signal }, { code: 0, signal: null });
  } finally {
    connection.dispose();
    if (child.exitCode === null) child.kill();
  }
});

test('the host rejects an unknown method and params that fail the request type\'s check, before the engine runs', async () => {
  const child = fork(script, [], { silent: true, execArgv: ['--import', 'tsx'] });
  const connection = createMessageConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
  connection.listen();
  const rejectsWith = (code: number, message: RegExp) => (error: unknown) => {
    assert.ok(error instanceof ResponseError, String(error));
    assert.equal(error.code, code);
    assert.match(error.message, message);
    return true;
  };
  try {
    await assert.rejects(connection.sendRequest('finetune/explode', {}), rejectsWith(ErrorCodes.MethodNotFound, /finetune\/explode/));
    await assert.rejects(connection.sendRequest(TrainRequest.method, { projectFile: 'quick', backend: 'gpu' }), rejectsWith(ErrorCodes.InvalidParams, /"backend" of auto\/tensorflow\/wasm\/cpu/));
    await assert.rejects(connection.sendRequest(InspectRequest.method, { path: 'model.json' }), rejectsWith(ErrorCodes.InvalidParams, /"target" string/));
    // The same connection still serves a well-formed request.
    assert.equal((await connection.sendRequest(TrainRequest, { projectFile: 'quick', backend: 'cpu' })).status, 'completed');
  } finally {
    connection.dispose();
    child.kill();
  }
});
