/** Predictions with a trained model folder. */
export { predictImages, resolveModelDir, type ImagePrediction, type ClassProbability } from './predictImages';
