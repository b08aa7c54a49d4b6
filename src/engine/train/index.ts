/** Training: phases, early stopping, checkpoints, the runs folder, cancellation and resume. */
export { trainProject, type TrainOptions } from './trainProject';
export { trainRun, type RunInput, type RunData, type TrainResult } from './trainRun';
export { runPhases, type RunPhasesOptions, type PhasesResult } from './runPhases';
export { planPhases, applyPhasePlan, type PhasePlan, type TrainableResolver } from './phasePlan';
export type { TrainingCallback, CallbackContext, StopRequest } from './callbacks';
export { registerSchedule, type LearningRateSchedule, type ScheduleFactory } from './schedules';
export { loadCheckpoint, type CheckpointState, type LoadedCheckpoint } from './checkpoint';
export { saveModelFolder, fsSaveHandler, type PreprocessingInfo } from './saveModel';
export type { Batch, BatchSource, PhaseSetup, PhaseSetupFactory, PhaseSetupRequest, EventSink } from './types';
export { lrFindProject, type LrFindOptions, type LrFindOutcome } from './lrFind';
