import { describe, expect, it } from 'vitest';
import { formatTable } from './format-table';

describe('formatTable', () => {
  it('pads every column to its widest cell', () => {
    expect(
      formatTable(
        ['a', 'bb'],
        [
          ['long', 'x'],
          ['y', 'zz'],
        ],
      ),
    ).toBe('a     bb\nlong  x\ny     zz');
  });
});
