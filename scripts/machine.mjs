// One line naming the machine a measurement ran on, printed by the bench and the memory script so
// every figure copied into the README carries it (a reader elsewhere compares ratios, not seconds).
import os from 'node:os';

export function describeMachine() {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() || 'unknown CPU';
  return `${model}, ${cpus.length} cores (${os.arch()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`;
}
