// A training host with a scripted fake engine, forked by host-client.test.ts through tsx.
import { startHost } from '../../src/host/server/startHost';
import { UserError } from '../../src/shared/userError';
import type { TrainingEvent } from '../../src/protocol/run';

const batch = (i: number): TrainingEvent => ({
  type: 'batch', phase: 'head', phaseIndex: 0, epoch: 0, batch: i, batchesPerEpoch: 1000,
  loss: 1 / (i + 1), accuracy: 0.5, lr: 0.001, seconds: i,
});

startHost({
  async inspectModel(target) {
    if (target === 'missing.json') throw new UserError('does not exist.', 'missing.json', 'Pick a model.json that exists.');
    return {
      totalParams: 30,
      layers: [
        { name: 'conv', className: 'Conv2D', outputShape: [null, 4, 4, 2], params: 20, trainableParams: 20, block: null, isNew: false, isBatchNorm: false },
        { name: 'dense', className: 'Dense', outputShape: [null, 2], params: 10, trainableParams: 10, block: null, isNew: true, isBatchNorm: false },
      ],
    };
  },
  async trainProject(projectFile, { signal, onEvent }) {
    // A host bug or version mismatch: the client must drop this, not crash.
    onEvent({ type: 'batch', phase: 'head' } as unknown as TrainingEvent);
    onEvent({ type: 'nonsense' } as unknown as TrainingEvent);
    if (projectFile === 'crash') {
      onEvent(batch(0));
      process.stderr.write('allocating a very large tensor\n');
      setTimeout(() => process.kill(process.pid, 'SIGKILL'), 50);
      return new Promise(() => undefined);
    }
    for (let i = 0; ; i++) {
      if (signal?.aborted) return { runDir: '/runs/1', status: 'cancelled' };
      if (projectFile === 'quick' && i === 3) return { runDir: '/runs/1', status: 'completed' };
      onEvent(batch(i));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  },
});
