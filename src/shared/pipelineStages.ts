/**
 * The fine-tuning recipe as stages, the one model the panel (src/extension/panel/stages.ts) and the
 * report (src/engine/report/pipeline.ts) draw: pre-trained model -> adjust architecture -> freeze
 * initial layers -> train final layers -> unfreeze & fine-tune -> adapted model. Phase 0 trains the
 * final layers; every later phase unfreezes and fine-tunes. Pure.
 */
import { STAGE_IDS, type StageId } from '../protocol/webview';

/** The stages that train: each phase belongs to one of them. */
export type TrainingStageId = Extract<StageId, 'train' | 'finetune'>;

const titles: Record<StageId, string> = {
  base: 'Pre-trained model',
  adjust: 'Adjust architecture',
  freeze: 'Freeze initial layers',
  train: 'Train final layers',
  finetune: 'Unfreeze & fine-tune',
  export: 'Adapted model',
  distill: 'Distill',
};

/** The stages in pipeline order, with their titles. */
export const PIPELINE_STAGES: readonly { readonly id: StageId; readonly title: string }[] = STAGE_IDS.map((id) => ({ id, title: titles[id] }));

export function stageTitle(id: StageId): string {
  return titles[id];
}

/** The stage a phase belongs to: the first phase trains the new head, later ones fine-tune. */
export function stageOfPhase(phaseIndex: number): TrainingStageId {
  return phaseIndex === 0 ? 'train' : 'finetune';
}

/** The phases (in order) that belong to a training stage. */
export function phasesOfStage<T>(phases: readonly T[], stage: TrainingStageId): T[] {
  return phases.filter((_, index) => stageOfPhase(index) === stage);
}
