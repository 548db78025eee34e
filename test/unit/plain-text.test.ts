import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainText } from '../../src/shared/text';

const ESC = '\u001b';
const BEL = '\u0007';
const ST = `${ESC}\\`;

describe('plainText: no escape sequence or control character reaches a terminal or a notification', () => {
  it.each([
    ['plain text stays', 'Nightly backup: 3 files', 'Nightly backup: 3 files'],
    ['newlines and tabs stay', 'line 1\n\tline 2', 'line 1\n\tline 2'],
    ['letters beyond ASCII stay', 'Sauvegarde é 日本 ✓ 🎉 مرحبا', 'Sauvegarde é 日本 ✓ 🎉 مرحبا'],
    ['an SGR colour goes', `${ESC}[31mred${ESC}[0m done`, 'red done'],
    ['a 256-colour and bold SGR goes', `${ESC}[1;38;5;208mwarn${ESC}[m`, 'warn'],
    ['cursor moves and erases go', `ok${ESC}[2K${ESC}[1A${ESC}[10;20Hfake`, 'okfake'],
    ['a private-mode CSI goes', `${ESC}[?25lhidden cursor${ESC}[?1049h`, 'hidden cursor'],
    [
      'an OSC 8 link ended by ST keeps only its text',
      `${ESC}]8;;https://evil.example${ST}click${ESC}]8;;${ST}`,
      'click',
    ],
    [
      'an OSC 8 link ended by BEL keeps only its text',
      `${ESC}]8;;file:///etc/passwd${BEL}here${ESC}]8;;${BEL}`,
      'here',
    ],
    ['a window-title OSC goes', `${ESC}]0;pwned${BEL}title`, 'title'],
    ['an OSC 52 clipboard write goes', `${ESC}]52;c;ZWNobyBwd25lZA==${BEL}x`, 'x'],
    [
      'an unterminated OSC swallows the rest, as a terminal would',
      `ok ${ESC}]8;;https://evil.example`,
      'ok ',
    ],
    ['a DCS string goes', `${ESC}P1$r0m${ST}after`, 'after'],
    ['an APC string goes', `${ESC}_payload${ST}after`, 'after'],
    ['8-bit C1 CSI goes', '\u009b31mred\u009b0m', 'red'],
    ['8-bit C1 OSC goes', '\u009d8;;https://evil.example\u009clink\u009d8;;\u009c', 'link'],
    ['two-byte escapes (reset, charset) go', `${ESC}c${ESC}(Bafter`, 'after'],
    ['a lone ESC at the end goes', `end${ESC}`, 'end'],
    ['a carriage return goes (no overwriting the line)', 'ok\rFAILED', 'okFAILED'],
    [
      'bell, backspace, NUL, DEL and other C0/C1 controls go',
      'a\u0007b\u0008c\u0000d\u007fe\u0085f\u000bg\u000ch',
      'abcdefgh',
    ],
  ])('%s', (_rule, input, expected) => {
    expect(plainText(input)).toBe(expected);
  });

  it('leaves no control character in any mix of escape pieces and text', () => {
    const piece = fc.constantFrom(
      'a',
      ESC,
      '[',
      ']',
      '8;;',
      BEL,
      '\\',
      '\u009b',
      '\u009d',
      '\r',
      'm',
      'é',
      '0',
      ';',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
        // eslint-disable-next-line no-control-regex -- checking that none is left
        expect(plainText(pieces.join(''))).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      }),
      { numRuns: 2000 },
    );
  });
});
