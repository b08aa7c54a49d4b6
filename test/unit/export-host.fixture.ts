// A host whose export always fails its reload check, forked by export.host.test.ts to see how the client reports it.
import { ResponseError } from 'vscode-jsonrpc/node';
import { ExportMismatchCode, type ExportVerification } from '../../src/protocol/host';
import { startHost } from '../../src/host/server/startHost';

const verification: ExportVerification = { samples: 4, maxAbsDifference: 0.25, tolerance: 1e-5, inputs: 'images' };

startHost({
  async inspectModel() {
    return { layers: [], totalParams: 0 };
  },
  async trainProject() {
    return { runDir: '/runs/1', status: 'completed' };
  },
  async exportModel(_runDir, destDir) {
    throw new ResponseError(ExportMismatchCode, `${destDir}: the exported model predicts differently from the trained one.`, verification);
  },
});
