/**
 * One host process for `finetune/inspect` (the layer tree), started on demand and stopped after a
 * minute without requests, so an idle VS Code does not keep a tfjs process in memory. Training never
 * shares it: each training gets its own host, so a crash stays contained.
 */
import { InspectRequest, type InspectResult } from '../../protocol/host';
import { HostClient, type HostClientOptions } from './hostClient';

const IDLE_MS = 60_000;

export class Inspector {
  private client: HostClient | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private active = 0;

  constructor(private readonly options: HostClientOptions, private readonly idleMs = IDLE_MS) {}

  async inspect(target: string): Promise<InspectResult> {
    clearTimeout(this.idleTimer);
    if (!this.client || this.client.exited) {
      this.client?.dispose();
      this.client = new HostClient(this.options);
    }
    this.active++;
    try {
      return await this.client.request(InspectRequest, { target });
    } finally {
      this.active--;
      if (this.active === 0) this.idleTimer = setTimeout(() => this.dispose(), this.idleMs);
    }
  }

  /** Whether a host process is running now (for tests and the log). */
  get running(): boolean {
    return this.client !== undefined && this.client.exited === null;
  }

  dispose(): void {
    clearTimeout(this.idleTimer);
    this.client?.dispose();
    this.client = undefined;
  }
}
