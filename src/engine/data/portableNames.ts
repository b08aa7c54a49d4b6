/**
 * Class folder names that work here but cannot exist on Windows: reserved device names (CON, NUL, AUX,
 * COM1...), the characters < > : " | ? * \ and control characters, a trailing space or dot. A project
 * with them cannot be copied to (or trained on) Windows, and the exported labels would not match a folder
 * there; said once as a warning, since the run itself is fine.
 */

const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
const FORBIDDEN = /[<>:"|?*\\\u0000-\u001f]/;

/** Why `name` cannot be a folder name on Windows, or null when it can. */
export function windowsNameProblem(name: string): string | null {
  if (RESERVED.test(name)) return `${name.split('.')[0].toUpperCase()} is a reserved device name there`;
  const bad = FORBIDDEN.exec(name);
  if (bad) return `it holds ${JSON.stringify(bad[0])}, which Windows does not allow in names`;
  if (/[ .]$/.test(name)) return 'Windows drops a trailing space or dot';
  return null;
}

/** One warning per class folder name that cannot exist on Windows. */
export function nonPortableClassWarnings(classes: readonly string[]): string[] {
  return classes.flatMap((name) => {
    const problem = windowsNameProblem(name);
    return problem ? [`Class folder ${JSON.stringify(name)} cannot be made on Windows (${problem}), so this project cannot be copied or trained there as it is. Rename the folder if the project should travel.`] : [];
  });
}
