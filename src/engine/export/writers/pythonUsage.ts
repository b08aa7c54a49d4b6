/**
 * The README sections for a Keras file: loading and predicting in Python with the same preprocessing as
 * training (see `imageToInput` in ../preprocessing.ts), and where it goes in JavaScript.
 */

/** `loadLines` are the Python lines (imports included) that bind `model`. */
export function pythonUsage(modelFile: string, loadLines: readonly string[]): string[] {
  const python = `# classify.py: python classify.py photo.jpg   (pip install pillow numpy, and keras or tensorflow)
import json
import sys

import numpy as np
from PIL import Image, ImageOps

${loadLines.join('\n')}
labels = json.load(open("labels.json"))
pre = json.load(open("preprocessing.json"))


def to_input(file):
    """The same steps as training: RGB, inputSize x inputSize, scaled to the model's range."""
    size = pre["inputSize"]
    image = ImageOps.exif_transpose(Image.open(file)).convert("RGB")
    if pre.get("fit", "cover") == "cover":
        image = ImageOps.fit(image, (size, size), Image.BILINEAR)  # crops the centre
    elif pre["fit"] == "contain":
        image = ImageOps.pad(image, (size, size), Image.BILINEAR, color=(0, 0, 0))
    else:
        image = image.resize((size, size), Image.BILINEAR)
    x = np.asarray(image, dtype="float32")
    return x / 127.5 - 1 if pre["scale"] == "-1..1" else x / 255


for file in sys.argv[1:]:
    probs = model.predict(np.stack([to_input(file)]), verbose=0)[0]
    top = sorted(zip(labels, probs), key=lambda p: -p[1])[:3]
    print(file + ": " + ", ".join(f"{label} {100 * p:.1f}%" for label, p in top))`;
  return [
    `## Python

Save this as \`classify.py\` in this folder, then \`python classify.py photo.jpg\`. Resizing in Pillow differs
from training's (sharp) in the last digits, so probabilities can differ slightly.

\`\`\`python
${python}
\`\`\``,
    `## JavaScript

TensorFlow.js cannot load \`${modelFile}\` itself. Fine-Tune Guide reads it: \`finetune-guide inspect ${modelFile}\`,
or start a new project from it with \`finetune-guide init <dir> --model ${modelFile} --data <folder>\`. To run the
model in Node or a browser, export the run again with \`finetune-guide export <run dir> --out <dir> --format tfjs\`.`,
  ];
}
