import { DomainError } from './domain-error';
import { displayText, findTextFlaw, parseText } from './text';

const refusal = (value: string) => {
  try {
    parseText(value, 'fullName', 200);
  } catch (error) {
    return error as DomainError;
  }
  throw new Error(`${JSON.stringify(value)} was accepted`);
};

describe('free text', () => {
  it.each([
    ['NUL', 'Juan\u0000Pérez', 'control_character', 'U+0000'],
    ['a tab', 'Juan\tPérez', 'control_character', 'U+0009'],
    ['a newline', 'Juan\nPérez', 'control_character', 'U+000A'],
    ['DEL', 'Juan\u007fPérez', 'control_character', 'U+007F'],
    ['a C1 control', 'Juan\u0085Pérez', 'control_character', 'U+0085'],
    ['a lone high surrogate', 'Juan\uD800Pérez', 'unpaired_surrogate', 'U+D800'],
    ['a lone low surrogate at the end', 'Juan Pérez\uDC00', 'unpaired_surrogate', 'U+DC00'],
    ['a right-to-left override', 'Juan \u202EzeréP', 'bidi_control', 'U+202E'],
    ['a left-to-right isolate', 'Juan \u2066Pérez', 'bidi_control', 'U+2066'],
    ['a right-to-left mark', 'Juan\u200FPérez', 'bidi_control', 'U+200F'],
  ])('refuses %s with INVALID_TEXT naming the field, the flaw and the code point, not the text', (_name, value, reason, codePoint) => {
    const error = refusal(value);
    expect(error).toBeInstanceOf(DomainError);
    expect(error.code).toBe('INVALID_TEXT');
    expect(error.kind).toBe('validation');
    expect(error.details).toEqual({ field: 'fullName', reason, codePoint });
    expect(error.message).not.toContain('Juan');
  });

  it('keeps letters of every script, emoji (surrogate pairs) and non-breaking spaces', () => {
    expect(parseText('Peña Núñez 😀', 'fullName', 200)).toBe('Peña Núñez 😀');
    expect(parseText('María\u00a0José', 'fullName', 200)).toBe('María José');
    expect(findTextFlaw('Ñandú 漢字 עברית')).toBeUndefined();
  });

  it('stores NFC: a decomposed accent becomes the composed character', () => {
    const decomposed = 'Jose\u0301 Pen\u0303a';
    const stored = parseText(decomposed, 'fullName', 200);
    expect(stored).toBe('José Peña');
    expect(stored).toBe(stored.normalize('NFC'));
    expect(stored.length).toBe(9);
  });

  it('trims, collapses inner spaces, and keeps the limits', () => {
    expect(parseText('  Juan   Pérez ', 'fullName', 200)).toBe('Juan Pérez');
    expect(refusal('   ').code).toBe('REQUIRED_FIELD');
    expect(refusal('x'.repeat(201)).code).toBe('INVALID_FIELD');
    expect(parseText('x'.repeat(200), 'fullName', 200)).toHaveLength(200);
    expect(() => parseText(42, 'fullName', 200)).toThrow(expect.objectContaining({ code: 'REQUIRED_FIELD' }));
  });

  it('shows whatever the log holds: flaws become U+FFFD, text is NFC, clean text is unchanged', () => {
    expect(displayText('Juan\u0000P\uD800\u202Eérez')).toBe('Juan\uFFFDP\uFFFD\uFFFDérez');
    expect(displayText('Jose\u0301')).toBe('José');
    expect(displayText('ECE322-18')).toBe('ECE322-18');
    const shown = displayText('\uDC00\uD800');
    expect(findTextFlaw(shown)).toBeUndefined();
  });
});
