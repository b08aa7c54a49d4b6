/** The defaults of finetune.json `distill` (the schema describes them; they are filled here, not by the schema). */
import type { DistillConfig } from '../../protocol/config';

export const DISTILL_DEFAULTS = { temperature: 4, alpha: 0.5, epochs: 20, learningRate: 0.005, batchSize: 16 } as const;

export type DistillSettings = Required<Omit<DistillConfig, 'student'>>;

export function distillSettings(config: DistillConfig | undefined): DistillSettings {
  return {
    temperature: config?.temperature ?? DISTILL_DEFAULTS.temperature,
    alpha: config?.alpha ?? DISTILL_DEFAULTS.alpha,
    epochs: config?.epochs ?? DISTILL_DEFAULTS.epochs,
    learningRate: config?.learningRate ?? DISTILL_DEFAULTS.learningRate,
    batchSize: config?.batchSize ?? DISTILL_DEFAULTS.batchSize,
  };
}
