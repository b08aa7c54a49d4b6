/**
 * Per-sample activations of the frozen prefix: in memory up to a byte budget, then appended to a
 * spill file (in the run folder) and read back by offset. Keyed by the data set's sample id, which
 * changes when the image file changes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ActivationStoreStats {
  readonly entries: number;
  readonly memoryBytes: number;
  readonly spilledEntries: number;
  readonly spillFile: string | null;
}

export class ActivationStore {
  private readonly memory = new Map<string, Float32Array>();
  private readonly spilled = new Map<string, number>();
  private memoryBytes = 0;
  private fd: number | null = null;
  private fileLength = 0;

  /**
   * @param featureSize floats per sample
   * @param budgetBytes bytes kept in memory before spilling
   * @param spillFile where samples beyond the budget go (created on first spill, deleted by `clear`)
   */
  constructor(
    readonly featureSize: number,
    private readonly budgetBytes: number,
    private readonly spillFile: string,
  ) {}

  has(id: string): boolean {
    return this.memory.has(id) || this.spilled.has(id);
  }

  /** Stores a copy of `values` (length featureSize). */
  put(id: string, values: Float32Array): void {
    if (values.length !== this.featureSize) throw new Error(`activation of ${values.length} floats, expected ${this.featureSize}`);
    if (this.has(id)) return;
    const bytes = values.byteLength;
    if (this.memoryBytes + bytes <= this.budgetBytes) {
      this.memory.set(id, values.slice());
      this.memoryBytes += bytes;
      return;
    }
    if (this.fd == null) {
      fs.mkdirSync(path.dirname(this.spillFile), { recursive: true });
      this.fd = fs.openSync(this.spillFile, 'w+');
    }
    fs.writeSync(this.fd, new Uint8Array(values.buffer, values.byteOffset, bytes), 0, bytes, this.fileLength);
    this.spilled.set(id, this.fileLength);
    this.fileLength += bytes;
  }

  /** Copies the activations of `ids` one after another into a new array (n * featureSize). */
  gather(ids: readonly string[]): Float32Array {
    const out = new Float32Array(ids.length * this.featureSize);
    ids.forEach((id, i) => {
      const offset = i * this.featureSize;
      const inMemory = this.memory.get(id);
      if (inMemory) {
        out.set(inMemory, offset);
        return;
      }
      const position = this.spilled.get(id);
      if (position == null || this.fd == null) throw new Error(`no cached activation for sample ${id}`);
      fs.readSync(this.fd, new Uint8Array(out.buffer, offset * 4, this.featureSize * 4), 0, this.featureSize * 4, position);
    });
    return out;
  }

  stats(): ActivationStoreStats {
    return {
      entries: this.memory.size + this.spilled.size,
      memoryBytes: this.memoryBytes,
      spilledEntries: this.spilled.size,
      spillFile: this.fd == null ? null : this.spillFile,
    };
  }

  /** Forgets everything and deletes the spill file. */
  clear(): void {
    this.memory.clear();
    this.spilled.clear();
    this.memoryBytes = 0;
    if (this.fd != null) {
      fs.closeSync(this.fd);
      this.fd = null;
      fs.rmSync(this.spillFile, { force: true });
    }
    this.fileLength = 0;
  }
}
