import { describe, expect, it } from 'vitest';
import { isFindableName, isWellFormedId, MAX_ID_BYTES, urlNameProblem } from '../../functions/domain/identifiers.js';

describe('ids checked at the edge', () => {
  it.each([
    ['a UUID', '650bdfd0-9e44-43fb-b882-c7176da35917', true],
    ['a test id', 'id-1', true],
    [`${MAX_ID_BYTES} characters`, 'x'.repeat(MAX_ID_BYTES), true],
    [`${MAX_ID_BYTES + 1} characters`, 'x'.repeat(MAX_ID_BYTES + 1), false],
    ['empty', '', false],
    ['a dot', '.', false],
    ['a slash', 'a/b', false],
    ['a NUL', 'a\u0000b', false],
    ['a non-ASCII letter (two bytes)', 'é', false],
    ['a list-position separator', 'a#b', false],
  ])('%s: well-formed %s', (_what, id, expected) => {
    // Act and assess
    expect(isWellFormedId(id)).toBe(expected);
  });
});

describe('names looked up by URL path', () => {
  it.each([
    ['200 four-byte characters (800 bytes)', '🎭'.repeat(200), undefined],
    ['201 characters', 'x'.repeat(201), 'At most 200 characters'],
    ['a lone surrogate', 'Aida \uDC00', 'Must be valid Unicode (no lone surrogate)'],
    ['a tab inside', 'Ai\tda', 'Must not contain control characters'],
    ['a leading space', ' Aida', 'Must not start or end with spaces'],
    ['a trailing no-break space', 'Aida\u00A0', 'Must not start or end with spaces'],
    ['"."', '.', 'Must not be "." or ".."'],
    ['"..."', '...', undefined],
    ['a backslash', 'AC\\DC', 'Must not contain "/" or "\\"'],
    ['"%" and "?"', '100% Aida?', undefined],
  ])('%s', (_what, name, problem) => {
    // Act and assess
    expect(urlNameProblem(name)).toBe(problem);
    expect(isFindableName(name)).toBe(problem === undefined);
  });
});
