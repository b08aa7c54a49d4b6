/**
 * New Project's questions about a model file the person brings: what it is (inspected in the host, so
 * tfjs never loads in VS Code), the pixel range when nothing that ships with it says, and whether to keep
 * its classifier when the data's classes are its labels.
 */
import * as vscode from 'vscode';
import type { PixelRange } from '../../protocol/config';
import type { InspectResult } from '../../protocol/host';
import { canKeepClassifier, classFolderNames, pixelRangeChoices, pixelRangeToAsk } from '../project/importChoices';
import type { Services } from '../services';

/** What the host says of the file; undefined (after telling why) when it cannot be read. */
export async function inspectModelFile(services: Services, file: string): Promise<InspectResult | undefined> {
  try {
    const inspected = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Fine-Tune: reading the model…' }, () =>
      services.inspector.inspect(file),
    );
    const range = inspected.pixelRange ? `${inspected.pixelRange.range} (${inspected.pixelRange.source})` : 'unknown';
    services.log.info(`new project: ${file} is a ${inspected.format ?? 'model'}; labels ${inspected.labels?.join(', ') ?? 'none'}; pixel range ${range}`);
    return inspected;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    services.log.error(`new project: inspect ${file}: ${message}`);
    void vscode.window.showErrorMessage(`Fine-Tune: ${message}`);
    return undefined;
  }
}

/** The range to write into finetune.json: asked only when guessed; 'stated' needs no flag. Null when the person cancels. */
export async function askPixelRange(inspected: InspectResult): Promise<PixelRange | undefined | null> {
  const guess = pixelRangeToAsk(inspected);
  if (!guess) return undefined;
  const picked = await vscode.window.showQuickPick(pixelRangeChoices(guess), {
    title: 'Fine-Tune: New Project — pixel range of the model',
    placeHolder: 'Nothing that ships with the model says how it scales pixels. Which range was it trained on?',
    ignoreFocusOut: true,
    matchOnDetail: true,
  });
  return picked ? picked.range : null;
}

/** True to keep the model's classifier; asked only when the data's class folders are its labels. Null when cancelled. */
export async function askKeepClassifier(services: Services, inspected: InspectResult, dataFolder: string): Promise<boolean | null> {
  const classes = await classFolderNames(dataFolder);
  if (!canKeepClassifier(inspected.labels, classes)) {
    if (inspected.labels) services.log.info(`new project: classes ${classes.join(', ')} are not the model's labels: a new head learns them`);
    return false;
  }
  const picked = await vscode.window.showQuickPick(
    [
      { label: 'Keep the model’s classifier (add images to it)', description: 'default', detail: `Your folders are its classes (${classes.join(', ')}): it goes on learning them.`, keep: true },
      { label: 'Replace the head (new classifier)', detail: 'A new classifier learns your classes from scratch on the model’s features.', keep: false },
    ],
    { title: 'Fine-Tune: New Project — classifier', placeHolder: 'The data’s classes are the model’s own labels.', ignoreFocusOut: true },
  );
  return picked ? picked.keep : null;
}
