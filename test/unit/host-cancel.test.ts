/**
 * Cancelling a train request's token (what the progress notification's Cancel does) stops a real
 * training in the real host (dist/host.js, built by `npm run build`): the token becomes jsonrpc's
 * `$/cancelRequest`, then the host's AbortSignal, and the run ends 'cancelled' at the next batch.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { TrainRequest } from '../../src/protocol/host';
import type { TrainingEvent } from '../../src/protocol/run';
import type { HostLog } from '../../src/extension/host/hostClient';
import { withModelHost } from '../../src/extension/host/modelHost';
import { writeTinyProject } from '../fixtures/train/tinyProject';

const log: HostLog = { info: () => undefined, warn: () => undefined, error: () => undefined };
const realHost = { script: path.resolve(__dirname, '../../dist/host.js'), log };
// Far more epochs than the test waits for: a cancel that does not arrive shows as a 'completed' run.
const EPOCHS = 40;

let dir = '';
let projectFile = '';

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ftg-host-cancel-'));
  projectFile = await writeTinyProject(dir, { epochs: EPOCHS });
});

after(() => rm(dir, { recursive: true, force: true }));

test('cancelling the train request token stops the real host at the next batch, as a cancelled run', async () => {
  const stop = new CancellationTokenSource();
  try {
    await withModelHost(realHost, async (host) => {
      const events: TrainingEvent[] = [];
      host.onTrainingEvent((event) => {
        events.push(event);
        if (event.type === 'batch') stop.cancel();
      });
      const result = await host.request(TrainRequest, { projectFile, backend: 'cpu' }, stop.token);
      assert.equal(result.status, 'cancelled');
      const done = events.find((e) => e.type === 'done');
      assert.ok(done && done.type === 'done' && done.status === 'cancelled', 'the host reports the run as cancelled');
      const epochsRun = events.filter((e) => e.type === 'epoch').length;
      assert.ok(epochsRun < EPOCHS, `stopped after ${epochsRun} of ${EPOCHS} epochs`);
    });
  } finally {
    stop.dispose();
  }
});
