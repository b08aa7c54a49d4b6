/** Export of an adapted model: a writer per format + README, reload check, and the model-folder readers. */
export { exportModel, type ExportOptions, type ExportResult } from './exportModel';
export { verifyExport, ExportMismatchError, DEFAULT_TOLERANCE, type VerifyOptions, type VerifyResult } from './verify';
export {
  readModelFolder,
  loadLayersModelFromDir,
  MODEL_JSON,
  LABELS_JSON,
  PREPROCESSING_JSON,
  type ModelFolder,
} from './modelFolder';
export { imageToInput, parsePreprocessing, type PixelScale, type Preprocessing } from './preprocessing';
export { renderReadme, NODE_SNIPPET, BROWSER_SNIPPET, type ReadmeFacts } from './readme';
export { exportWriter, exportWriters, exportFormatIds, registerExportWriter, type ExportInput, type ExportUsage, type ExportWriter } from './writers';
