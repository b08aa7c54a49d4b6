/**
 * One long-lived host process for `finetune/inspect` (the layer tree), restarted on demand when it
 * has exited. Training never shares it: each training gets its own host, so a crash stays contained.
 */
import type { InspectResult } from '../../protocol/host';
import { HostClient, type HostClientOptions } from './hostClient';

export class Inspector {
  private client: HostClient | undefined;

  constructor(private readonly options: HostClientOptions) {}

  inspect(target: string): Promise<InspectResult> {
    if (!this.client || this.client.exited) {
      this.client?.dispose();
      this.client = new HostClient(this.options);
    }
    return this.client.inspect({ target });
  }

  dispose(): void {
    this.client?.dispose();
    this.client = undefined;
  }
}
