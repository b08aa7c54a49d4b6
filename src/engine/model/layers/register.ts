/**
 * Registers the Keras preprocessing layers tfjs-layers 4.22 lacks (RandomFlip, RandomRotation,
 * RandomZoom, RandomContrast), a Keras-faithful Resizing and a step-seeded Dropout in place of tfjs'
 * own, so models that contain them load and train reproducibly. Import once before any model is built; a new layer is one file plus one line here.
 */
import * as tf from '@tensorflow/tfjs';
import { StepDropout } from './dropout';
import { RandomContrast } from './randomContrast';
import { RandomFlip } from './randomFlip';
import { RandomRotation } from './randomRotation';
import { RandomZoom } from './randomZoom';
import { Resizing } from './resizing';

export const PREPROCESSING_LAYERS = [RandomFlip, RandomRotation, RandomZoom, RandomContrast, Resizing, StepDropout] as const;

for (const layer of PREPROCESSING_LAYERS) tf.serialization.registerClass(layer);
