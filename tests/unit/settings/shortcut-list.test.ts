import { describe, expect, it } from 'vitest';
import { shortcutRows } from '../../../src/settings/shortcut-list';

describe('shortcutRows', () => {
  it('shortcutRows, keeps Chrome order, an empty key is null ("not set"), the action command has no description', () => {
    expect(shortcutRows([
      { name: '_execute_action', description: '', shortcut: '' },
      { name: 'save-clip', description: 'Save the last N seconds', shortcut: 'Alt+Shift+S' },
      { name: 'toggle-record', description: 'Record to disk', shortcut: '' },
      { description: 'nameless' },
    ])).toEqual([
      { name: '_execute_action', description: null, shortcut: null },
      { name: 'save-clip', description: 'Save the last N seconds', shortcut: 'Alt+Shift+S' },
      { name: 'toggle-record', description: 'Record to disk', shortcut: null },
    ]);
  });
});
