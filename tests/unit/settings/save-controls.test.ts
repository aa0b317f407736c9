import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/settings/settings';
import { FIXED_CLIP_SEC, MENU_IDS, NON_SAVE_COMMANDS, clipLengthChoices, commandSave, menuEntries, menuSave } from '../../../src/settings/save-controls';

const lengths = (defaultClipSec: number, gifDefaultSec = 10) => ({ defaultClipSec, gifDefaultSec });

describe('clipLengthChoices', () => {
  it('clipLengthChoices, adds the default among the fixed lengths, ascending', () => {
    expect(clipLengthChoices(7)).toEqual([7, 10, 30, 60]);
    expect(clipLengthChoices(45)).toEqual([10, 30, 45, 60]);
    expect(clipLengthChoices(120)).toEqual([10, 30, 60, 120]);
  });

  it('clipLengthChoices, lists a default that is a fixed length once', () => {
    expect(clipLengthChoices(30)).toEqual([10, 30, 60]);
  });
});

describe('commandSave', () => {
  it('commandSave, saves the default clip as MP4 and the GIF length as GIF', () => {
    expect(commandSave('save-clip', lengths(7, 3))).toEqual({ seconds: 7, format: 'mp4' });
    expect(commandSave('save-gif', lengths(7, 3))).toEqual({ seconds: 3, format: 'gif' });
    expect(commandSave('toggle-pause', lengths(7, 3))).toBeNull();
  });

  it('commandSave, knows every command in manifest.json except the non-save ones, and none says 30', () => {
    const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'manifest.json'), 'utf8')) as {
      commands: Record<string, { description: string }>;
    };
    for (const [name, { description }] of Object.entries(manifest.commands)) {
      if (!(NON_SAVE_COMMANDS as readonly string[]).includes(name)) expect(commandSave(name, DEFAULT_SETTINGS), name).not.toBeNull();
      else expect(commandSave(name, DEFAULT_SETTINGS), name).toBeNull();
      expect(name).not.toMatch(/\d/);
      expect(description).not.toMatch(/last 30/);
    }
  });
});

describe('menuEntries', () => {
  it('menuEntries, titles the default and GIF entries with the current lengths', () => {
    expect(menuEntries(lengths(7, 3))).toEqual([
      { id: 'save-default', title: 'Save last 7 s', visible: true },
      { id: 'save-10', title: 'Save last 10 s', visible: true },
      { id: 'save-30', title: 'Save last 30 s', visible: true },
      { id: 'save-60', title: 'Save last 60 s', visible: true },
      { id: 'save-gif', title: 'Save last 3 s as GIF', visible: true },
    ]);
  });

  it('menuEntries, shows each length once, the popup\'s choices, whether or not the default is a fixed length', () => {
    for (const seconds of [7, ...FIXED_CLIP_SEC, 45]) {
      const titles = menuEntries(lengths(seconds)).filter((entry) => entry.visible && entry.id !== 'save-gif').map((entry) => entry.title);
      expect(titles[0]).toBe(`Save last ${seconds} s`);
      expect(new Set(titles).size).toBe(titles.length);
      expect([...titles].sort()).toEqual(clipLengthChoices(seconds).map((length) => `Save last ${length} s`).sort());
    }
  });

  it('menuEntries, always gives every id so a settings change only updates entries', () => {
    for (const seconds of [1, 10, 30, 45, 60, 600]) expect(menuEntries(lengths(seconds)).map((entry) => entry.id)).toEqual([...MENU_IDS]);
  });
});

describe('menuSave', () => {
  it('menuSave, saves what each entry says, read from the settings at click time', () => {
    const settings = lengths(7, 3);
    for (const entry of menuEntries(settings)) {
      const save = menuSave(entry.id, settings);
      expect(entry.title).toBe(`Save last ${save?.seconds} s${save?.format === 'gif' ? ' as GIF' : ''}`);
    }
  });

  it('menuSave, ignores an unknown entry', () => {
    expect(menuSave('save-45', lengths(45))).toBeNull();
    expect(menuSave(3, lengths(30))).toBeNull();
  });
});
