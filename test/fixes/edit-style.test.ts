/** `editStyle` reads a file's line ending and indentation unit; `inFileStyle` writes a fix's text in them. */
import { describe, expect, it } from 'vitest';
import { editStyle, inFileStyle, parseFile } from '../../core';

describe('editStyle', () => {
  it('reads CRLF from the first line break', () => {
    expect(editStyle('a {\r\n  b = 1\r\n}\r\n')).toEqual({ eol: '\r\n', indentUnit: '  ' });
    expect(editStyle('a {\n  b = 1\n}\n')).toEqual({ eol: '\n', indentUnit: '  ' });
  });

  it('reads tabs, or the most common step of space indentation', () => {
    expect(editStyle('a {\n\tb {\n\t\tc = 1\n\t}\n}\n').indentUnit).toBe('\t');
    expect(editStyle('{\n    "a": {\n        "b": 1,\n        "c": 2\n    }\n}\n').indentUnit).toBe('    ');
    // A list item's `- ` and an aligned continuation line do not make the unit.
    expect(editStyle('a:\n  - b: 1\n    c: 2\n  - d: 3\nx:\n  y: 1\n').indentUnit).toBe('  ');
    expect(editStyle('no indentation\n').indentUnit).toBe('  ');
  });

  it('never reads tabs in YAML', () => {
    expect(editStyle('a:\n\tb\n\tc\n', false).indentUnit).toBe('  ');
  });
});

describe('inFileStyle', () => {
  it('writes the line ending and turns each added tab into the unit', async () => {
    const crlf4 = await parseFile('a.json', '{\r\n    "a": 1\r\n}\r\n');
    expect(inFileStyle(crlf4, ',\n    "b": {\n    \t"c": 1\n    }')).toBe(',\r\n    "b": {\r\n        "c": 1\r\n    }');
    const tabs = await parseFile('a.tf', 'a {\n\tb = 1\n}\n');
    expect(inFileStyle(tabs, '\n\tc {\n\t\td = 1\n\t}')).toBe('\n\tc {\n\t\td = 1\n\t}');
  });
});
