export { distillProject, DISTILL_PHASE, type DistillOptions, type DistillResult } from './distillProject';
export { DISTILL_DEFAULTS } from './defaults';
