/**
 * Which student to distil into: the one finetune.json `distill.student` names, or by default the
 * teacher's own base cut at the latest block end whose student (base prefix + a linear head) has at
 * most half the teacher's parameters, at the teacher's input size.
 */
import type * as tf from '@tensorflow/tfjs';
import type { DistillStudentConfig } from '../../protocol/config';
import { UserError } from '../../shared/userError';
import { blockOf } from '../model/blocks';
import { loadBaseModel } from '../model/load';

export interface StudentChoice {
  readonly student: DistillStudentConfig;
  /** 'configured' (finetune.json distill.student) or 'default' (picked here). */
  readonly origin: 'configured' | 'default';
  /** Why this student, for the output. */
  readonly reason: string;
}

export interface TeacherShape {
  readonly base: string;
  readonly cutLayer: string;
  readonly inputSize: number;
  readonly params: number;
  readonly classes: number;
}

/** Parameters of a linear softmax head on `channels` pooled features. */
export function linearHeadParams(channels: number, classes: number): number {
  return channels * classes + classes;
}

/** Candidate cuts of `model` (already cut at the teacher's cut), in model order: the last layer of each block, with the student's parameter count. */
export function cutCandidates(model: tf.LayersModel, classes: number): { layer: string; params: number }[] {
  const layers = model.layers;
  const out: { layer: string; params: number }[] = [];
  let prefix = 0;
  layers.forEach((layer, i) => {
    prefix += layer.countParams();
    const block = blockOf(layer.name);
    const next = layers[i + 1];
    const shape = layer.outputShape as number[];
    // A block's last layer is a clean cut (its residual add is inside); a 4-D feature map can be pooled.
    if (block === null || !next || blockOf(next.name) === block || !Array.isArray(shape) || shape.length !== 4) return;
    out.push({ layer: layer.name, params: prefix + linearHeadParams(shape[3] ?? 0, classes) });
  });
  return out;
}

/** The configured student, or the default one (see the file comment). */
export async function chooseStudent(configured: DistillStudentConfig | undefined, teacher: TeacherShape, projectDir: string, projectFile: string): Promise<StudentChoice> {
  if (configured) return { student: configured, origin: 'configured', reason: `distill.student in ${projectFile}` };
  const loaded = await loadBaseModel(teacher.base, projectDir, { inputSize: teacher.inputSize, cutLayer: teacher.cutLayer });
  try {
    const limit = teacher.params / 2;
    const fitting = cutCandidates(loaded.model, teacher.classes).filter((c) => c.layer !== teacher.cutLayer && c.params <= limit);
    const pick = fitting[fitting.length - 1];
    if (!pick) {
      throw new UserError(
        `distill: no block of ${teacher.base} before "${teacher.cutLayer}" makes a student with at most half the teacher's ${teacher.params} parameters.`,
        projectFile,
        'Set "distill.student" to { "base", "cutLayer", "inputSize" } of a smaller model.',
        'distill.student',
      );
    }
    return {
      student: { base: teacher.base, cutLayer: pick.layer, inputSize: teacher.inputSize },
      origin: 'default',
      reason: `default: ${teacher.base} cut at "${pick.layer}" (the latest block end with at most half the teacher's parameters: ${pick.params} <= ${Math.floor(limit)})`,
    };
  } finally {
    loaded.model.dispose();
  }
}
