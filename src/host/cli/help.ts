/** The CLI's help text; the built-in models and the backends come from their registries. */
import { builtinModels, builtinRef, builtinRefsText, DEFAULT_BUILTIN } from '../../engine/model/builtins';
import { LR_FIND_FILES, LR_FIND_FOLDER, RUN_FILES } from '../../runs';
import { BACKEND_NAMES } from '../../shared/backends';
import { PIXEL_RANGES } from '../../engine/data/pixelRange';

const MODEL_CHOICES = `<model file | ${builtinRefsText()}>`;
const BUILTIN_LINES = builtinModels()
  .map((model) => `  ${builtinRef(model)}: ${model.label}, input ${model.inputSize}x${model.inputSize}, cut at "${model.cutLayer}".\n      ${model.provenance}.`)
  .join('\n');

export const HELP = `finetune-guide: fine-tune a pre-trained TensorFlow.js image model in phases.

Usage:
  finetune-guide init <dir> --demo
      Create a project in <dir> with the built-in ${DEFAULT_BUILTIN.label} and the demo images.
  finetune-guide init <dir> --model ${MODEL_CHOICES} --data <folder>
                      [--pixel-range ${PIXEL_RANGES.join('|')}] [--keep-classifier]
      Create a project for your own model and images (one sub-folder per class); prints
      the cut layer and the blocks it chose for fine-tuning. The model file may be a tfjs
      model.json, a Keras .h5 or a Keras 3 .keras file. --pixel-range: the range the model
      was trained on (default: what the model states, else a guess from its first layers).
      --keep-classifier: keep the model's own classifier (the class folders must be its labels).
  finetune-guide inspect <model file | ${builtinRefsText()} | finetune.json> [--json]
      List every layer: name, class, output shape, parameters, trainable, block.
  finetune-guide train <dir | finetune.json> [--backend ${BACKEND_NAMES.join('|')}]
                       [--resume [run dir]] [--threads N] [--json]
      Train every phase into a new folder <project>/runs/<run id>/. --resume continues the
      latest unfinished run (or the given one) from its last checkpoint. --json prints one
      event per line; the last one is {"type":"done","runDir":...}.
  finetune-guide distill <dir | finetune.json> [--teacher <run dir>] [--backend ${BACKEND_NAMES.join('|')}] [--json]
      Knowledge distillation: train a smaller student (finetune.json "distill"; default the
      base cut earlier, at most half the teacher's parameters) on the labels and the softened
      outputs of the teacher (default the latest finished run), into a new run folder whose
      The summary compares teacher, student and a label-only baseline (params, accuracy, speed).
  finetune-guide lr-find <dir | finetune.json> [--phase N] [--backend ${BACKEND_NAMES.join('|')}] [--json]
      Learning-rate finder for phase N (default 1): about 100 batches with the rate growing
      from 1e-7 to 10 (stopping when the smoothed loss passes 4x its best), then prints
      "suggested learning rate: X" (fastai's valley rule) and writes <runs>/${LR_FIND_FOLDER}/phase-N/
      ${LR_FIND_FILES.result} and ${LR_FIND_FILES.chart}. The weights, the runs and finetune.json are not changed.
  finetune-guide predict <run dir | model dir> <image | folder...> [--top K] [--json]
      Top classes with probabilities for each image (a folder: every file in it). Each image that
      cannot be read is named; the exit code is then 2, after the others were predicted.
  finetune-guide export <run dir> --out <dest> [--format tfjs|keras|h5] [--json]
      Write the run's adapted model into <dest> (new or empty; nothing is overwritten) with
      labels.json, preprocessing.json and a README, then reload it and check it predicts like
      the trained model (exit 1 when it does not). --format: tfjs (default) a TensorFlow.js
      LayersModel; keras a Keras 3 model.keras; h5 a Keras HDF5 model.h5 (tf.keras, Keras 2).
  finetune-guide embed <run dir | project> --out <F.csv|F.npy> [--layer NAME] [--json]
      One feature vector per image (the layer's output, globally average-pooled; default the
      cut layer; a run uses its adapted model, a project its base model). CSV columns
      path,class,split,f0,...; .npy (float32 [n, d]) with F.npy.json (paths, classes, splits,
      layer). Prints kNN and logistic-regression validation accuracy on those features.
      An existing output file is never overwritten.
  finetune-guide report <run dir>
      Write <run dir>/${RUN_FILES.report}: pipeline flowchart, phase table, evaluation and PNG charts.
  finetune-guide --help

Built-in models:
${BUILTIN_LINES}

Exit codes: 0 success; 2 a problem with your input (the message names the file and the fix);
130 interrupted with Ctrl-C, 143 stopped by SIGTERM (the last checkpoint is kept: resume with --resume); 1 anything else.
`;
