/**
 * Every command the extension contributes. package.json's `contributes.commands` must list exactly
 * these (test/unit/commands-declared.test.ts parses both), and commands/index.ts registers each once.
 */
export const CommandIds = {
  newProject: 'finetuneGuide.newProject',
  openLayers: 'finetuneGuide.openLayers',
  startTraining: 'finetuneGuide.startTraining',
  stopTraining: 'finetuneGuide.stopTraining',
  resumeTraining: 'finetuneGuide.resumeTraining',
  openPanel: 'finetuneGuide.openPanel',
  exportModel: 'finetuneGuide.exportModel',
  classifyImage: 'finetuneGuide.classifyImage',
  inspectModel: 'finetuneGuide.inspectModel',
  selectPhase: 'finetuneGuide.selectPhase',
  freezeUpTo: 'finetuneGuide.freezeUpTo',
  unfreezeFrom: 'finetuneGuide.unfreezeFrom',
  refreshLayers: 'finetuneGuide.refreshLayers',
  distill: 'finetuneGuide.distill',
  findLearningRate: 'finetuneGuide.findLearningRate',
  manageWorkspaceTrust: 'finetuneGuide.manageWorkspaceTrust',
} as const;

export type CommandId = (typeof CommandIds)[keyof typeof CommandIds];
