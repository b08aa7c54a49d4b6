/**
 * Connects a host to its parent over the forked IPC channel and exits when the parent goes away, so a
 * crashed or closed VS Code never leaves a training process behind.
 */
import { createMessageConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-jsonrpc/node';
import { serveHost, type HostEngine } from './serve';

export function startHost(engine: HostEngine): void {
  if (!process.send) {
    console.error('finetune-guide host: start me with child_process.fork (I talk over the IPC channel).');
    process.exit(2);
  }
  const connection = createMessageConnection(new IPCMessageReader(process), new IPCMessageWriter(process));
  serveHost(connection, engine);
  process.on('disconnect', () => process.exit(0));
  connection.onClose(() => process.exit(0));
  connection.listen();
}
