/**
 * A leading `~` in a command-line path is the home folder, as a shell would expand it: it is not expanded
 * when quoted ("~/photos"), after `=` (`--out=~/model`), or when VS Code, a task or a script passes the
 * arguments without a shell. Without this, `~` became a folder of that name in the current folder.
 */
import { expandHome } from '../../engine/config/projectPath';

export function expandHomeArgs(args: readonly string[]): string[] {
  return args.map((arg) => {
    const option = /^(--[^=]+=)(.*)$/s.exec(arg);
    return option ? `${option[1]}${expandHome(option[2]!)}` : expandHome(arg);
  });
}
