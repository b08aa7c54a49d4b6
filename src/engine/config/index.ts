/** Public API of the project file: types, defaults, loading and validation. */
export type * from '../../protocol/config';
export { loadProjectConfig, parseProjectText, ConfigValidationError, PROJECT_FILE_NAME, type LoadedProject } from './load';
export { defaultProject, defaultPhases, HEAD_LEARNING_RATE, FINE_TUNE_LEARNING_RATE, type DefaultProjectOptions } from './defaults';
export { validateProjectJson, projectSchema } from './schema';
export { problemsFromAjv, fieldPath, type ConfigProblem, type NumberBounds } from './messages';
export { configProblems } from './validate';
export { parseErrorWords } from './parseErrorWords';
