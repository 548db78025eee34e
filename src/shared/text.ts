/**
 * Text that reaches a terminal (log lines) or a notification must not carry instructions for it.
 * Run output and schedule names are written by programs and people we do not control: an ANSI
 * colour, a cursor move, a window-title change or an OSC 8 hyperlink hidden in them would act on the
 * reader's terminal, or turn up as garbage in a notification. Stored run output keeps its escapes;
 * this is for the places that print or show text as plain text.
 */

/* eslint-disable no-control-regex -- matching control characters is the point of this file */

/**
 * ECMA-48 sequences, in their 7-bit (ESC …) and 8-bit (C1) forms:
 * - strings (OSC, DCS, SOS, PM, APC) up to their terminator (BEL or ST), or to the end when it is
 *   missing, since a terminal would swallow what follows as well;
 * - control sequences (CSI): parameters, intermediates, one final byte;
 * - any other escape: intermediates and one final byte (charset switches, resets, keypad modes).
 */
const SEQUENCES = new RegExp(
  [
    '(?:\\u001b[\\]PX^_]|[\\u0090\\u0098\\u009d\\u009e\\u009f])[\\s\\S]*?(?:\\u0007|\\u001b\\\\|\\u009c|$)',
    '(?:\\u001b\\[|\\u009b)[0-?]*[ -/]*[@-~]?',
    '\\u001b[ -/]*[0-~]?',
  ].join('|'),
  'g',
);

/** C0 controls except tab and newline, DEL, and C1 controls: what is left once sequences are gone. */
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * `text` without escape sequences and control characters. Tabs and newlines stay; a carriage
 * return goes (it would let the rest of a line overwrite what came before it).
 */
export function plainText(text: string): string {
  return text.replace(SEQUENCES, '').replace(CONTROLS, '');
}
