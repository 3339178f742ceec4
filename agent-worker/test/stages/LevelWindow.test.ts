import { describe, expect, it } from 'vitest';
import { LevelWindow } from '../../src/stages/vad/LevelWindow.ts';

describe('LevelWindow', () => {
  it('has no level before any was fed', () => {
    expect(new LevelWindow(4).quantile(0.25)).toBeUndefined();
  });

  it('gives the level the share of the held levels are under, from the ones fed so far', () => {
    const window = new LevelWindow(8);
    for (const db of [-20, -40, -30]) window.push(db);
    expect(window.quantile(0)).toBe(-40);
    expect(window.quantile(0.5)).toBe(-30);
    expect(window.quantile(1)).toBe(-20);
  });

  it('holds only the latest levels once full, and counts every level fed', () => {
    const window = new LevelWindow(3);
    for (const db of [-90, -80, -30, -20, -10]) window.push(db);
    expect(window.quantile(0)).toBe(-30);
    expect(window.fed).toBe(5);
  });

  it('forgets every level on reset', () => {
    const window = new LevelWindow(3);
    window.push(-50);
    window.reset();
    expect(window.quantile(0.25)).toBeUndefined();
    expect(window.fed).toBe(0);
    window.push(-10);
    expect(window.quantile(0)).toBe(-10);
  });
});
