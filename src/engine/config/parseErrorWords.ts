/**
 * jsonc-parser's error codes in plain words. The codes (`PropertyNameExpected`) name the parser's
 * state, not the user's mistake, so no message shows them: the CLI, the layer tree and the editor's
 * diagnostics all say these words instead. Pure, no vscode.
 */
import { printParseErrorCode, type ParseErrorCode } from 'jsonc-parser';

type CodeName = Exclude<ReturnType<typeof printParseErrorCode>, '<unknown ParseErrorCode>'>;

/** Keyed by the code's name, so a new code in jsonc-parser fails to compile here. */
const words: Readonly<Record<CodeName, string>> = {
  InvalidSymbol: 'this is not JSON; a value (a number, "text", true, false, null, [ ] or { }) is expected here',
  InvalidNumberFormat: 'this number is not written as JSON writes numbers (e.g. 0.001 or 1e-3)',
  PropertyNameExpected: 'a property name in double quotes is expected here',
  ValueExpected: 'a value is expected here',
  ColonExpected: 'a colon ":" is expected here, between the property name and its value',
  CommaExpected: 'a comma "," is expected here, between two entries',
  CloseBraceExpected: 'a closing brace "}" is expected here, to end the object',
  CloseBracketExpected: 'a closing bracket "]" is expected here, to end the list',
  EndOfFileExpected: 'the file should end here; there is text after the last closing brace',
  InvalidCommentToken: 'this comment is not closed or not a comment',
  UnexpectedEndOfComment: 'this comment is not closed; end it with */',
  UnexpectedEndOfString: 'this text is not closed; end it with a double quote "',
  UnexpectedEndOfNumber: 'this number is cut off',
  InvalidUnicode: 'this \\u escape needs four hex digits (e.g. \\u00e9)',
  InvalidEscapeCharacter: 'this backslash escape is not allowed in JSON; write \\\\ for a backslash',
  InvalidCharacter: 'this character is not allowed inside a JSON string (a line break or tab must be written \\n or \\t)',
};

/** The plain words for a parse error code. */
export function parseErrorWords(code: ParseErrorCode): string {
  const name = printParseErrorCode(code);
  return name === '<unknown ParseErrorCode>' ? 'the JSON is not valid here' : words[name];
}
