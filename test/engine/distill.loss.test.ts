/** The distillation loss against a value computed by hand (Hinton et al. 2015). */
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { distillationLoss } from '../../src/engine/train/distillLoss';

before(async () => {
  await tf.setBackend('cpu');
});

test('alpha x CE + (1 - alpha) x T^2 x KL(teacher_T || student_T) on two classes, by hand', () => {
  // One image, two classes, label = class 0. Student logits [ln 3, 0], teacher logits [2 ln 3, 0], T = 2, alpha = 0.25.
  // Hard term: softmax([ln 3, 0]) = [3/4, 1/4]  -> CE = -ln(3/4).
  // Soft term at T = 2: student softmax([ln 3 / 2, 0]) = [sqrt3/(sqrt3+1), 1/(sqrt3+1)];
  //   teacher softmax([ln 3, 0]) = [3/4, 1/4];  KL = 3/4 ln((3/4)/(sqrt3/(sqrt3+1))) + 1/4 ln((1/4)/(1/(sqrt3+1))).
  const s3 = Math.sqrt(3);
  const ce = -Math.log(3 / 4);
  const kl = 0.75 * Math.log(0.75 / (s3 / (s3 + 1))) + 0.25 * Math.log(0.25 / (1 / (s3 + 1)));
  const expected = 0.25 * ce + 0.75 * 4 * kl;
  const loss = distillationLoss({
    labels: tf.tensor2d([[1, 0]]),
    studentLogits: tf.tensor2d([[Math.log(3), 0]]),
    teacherLogits: tf.tensor2d([[2 * Math.log(3), 0]]),
    temperature: 2,
    alpha: 0.25,
  });
  assert.ok(Math.abs(loss.dataSync()[0] - expected) < 1e-5, `${loss.dataSync()[0]} vs ${expected}`);
  loss.dispose();
});

test('the batch mean; equal teacher and student leave only the weighted cross-entropy; alpha 1 ignores the teacher', () => {
  const labels = tf.tensor2d([[0, 1, 0], [0, 0, 1]]);
  const student = tf.tensor2d([[1, 2, 0], [0, 0, 0]]);
  // Row 1: CE = -ln(e^2 / (e + e^2 + 1)); row 2: CE = ln 3.
  const ce1 = -Math.log(Math.exp(2) / (Math.E + Math.exp(2) + 1));
  const ce2 = Math.log(3);
  const same = distillationLoss({ labels, studentLogits: student, teacherLogits: student, temperature: 4, alpha: 0.5 });
  assert.ok(Math.abs(same.dataSync()[0] - 0.5 * (ce1 + ce2) / 2) < 1e-5);
  const other = tf.tensor2d([[5, -1, 0], [3, 3, -2]]);
  const labelsOnly = distillationLoss({ labels, studentLogits: student, teacherLogits: other, temperature: 4, alpha: 1 });
  assert.ok(Math.abs(labelsOnly.dataSync()[0] - (ce1 + ce2) / 2) < 1e-5);
  const withTeacher = distillationLoss({ labels, studentLogits: student, teacherLogits: other, temperature: 4, alpha: 0.5 });
  assert.ok(withTeacher.dataSync()[0] > same.dataSync()[0], 'a teacher that disagrees adds a positive KL term');
  tf.dispose([labels, student, other, same, labelsOnly, withTeacher]);
});
