/** Predictions with a trained model folder. */
export { predictEachImage, predictImages, resolveModelDir, type ImageFailure, type ImagePrediction, type ClassProbability } from './predictImages';
