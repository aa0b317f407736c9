import { describe, expect, it } from 'vitest';
import { PauseTimeline, pauseOnPacketGrid, resumeOnPacketGrid } from '../../../src/timeline/pause-timeline';

describe('PauseTimeline', () => {
  it('PauseTimeline, passes samples through untouched when never paused', () => {
    const timeline = new PauseTimeline();
    expect(timeline.toContinuousUs(123_456)).toBe(123_456);
    expect(timeline.paused).toBe(false);
  });

  it('PauseTimeline, drops every sample from the pause instant on, in-flight ones included', () => {
    const timeline = new PauseTimeline();
    timeline.pause(10_000_000);
    expect(timeline.paused).toBe(true);
    expect(timeline.toContinuousUs(9_999_999)).toBe(9_999_999);
    expect(timeline.toContinuousUs(10_000_000)).toBeNull();
    expect(timeline.toContinuousUs(12_000_000)).toBeNull();
  });

  it('PauseTimeline, shifts both tracks by one shared offset after resume', () => {
    const timeline = new PauseTimeline();
    timeline.pause(10_000_000);
    timeline.resume(14_500_000);
    // A video frame and an audio packet captured together map to the same continuous instant.
    expect(timeline.toContinuousUs(14_500_000)).toBe(10_000_000);
    expect(timeline.toContinuousUs(15_000_000)).toBe(10_500_000);
    // Samples from inside the pause that an encoder emits late are still dropped.
    expect(timeline.toContinuousUs(12_000_000)).toBeNull();
    // Samples from before the pause keep their place.
    expect(timeline.toContinuousUs(9_980_000)).toBe(9_980_000);
  });

  it('PauseTimeline, adds up several pauses', () => {
    const timeline = new PauseTimeline();
    timeline.pause(1_000_000);
    timeline.resume(2_000_000);
    timeline.pause(5_000_000);
    timeline.resume(8_000_000);
    expect(timeline.toContinuousUs(3_000_000)).toBe(2_000_000);
    expect(timeline.toContinuousUs(9_000_000)).toBe(5_000_000);
    // Continuous: the instants on either side of a pause meet.
    expect(timeline.toContinuousUs(8_000_000)).toBe(timeline.toContinuousUs(4_999_999)! + 1);
  });

  it('PauseTimeline, ignores a repeated pause or a resume without pause', () => {
    const timeline = new PauseTimeline();
    timeline.resume(1_000);
    timeline.pause(2_000);
    timeline.pause(3_000);
    timeline.resume(4_000);
    timeline.resume(5_000);
    expect(timeline.toContinuousUs(4_000)).toBe(2_000);
  });
});

describe('PauseTimeline instants', () => {
  it('instantToContinuousUs, maps an instant inside a pause to where the pause began', () => {
    const timeline = new PauseTimeline();
    timeline.pause(1_000_000);
    expect(timeline.instantToContinuousUs(1_500_000)).toBe(1_000_000);
    timeline.resume(3_000_000);
    expect(timeline.instantToContinuousUs(2_999_999)).toBe(1_000_000);
    expect(timeline.instantToContinuousUs(3_500_000)).toBe(1_500_000);
    expect(timeline.instantToContinuousUs(500_000)).toBe(500_000);
  });
});

describe('pause on the audio packet grid', () => {
  it('pauseOnPacketGrid, moves the pause to the next packet boundary', () => {
    expect(pauseOnPacketGrid(1_005_000, 1_000_000, 20_000)).toBe(1_020_000);
    expect(pauseOnPacketGrid(1_040_000, 1_000_000, 20_000)).toBe(1_040_000);
    expect(pauseOnPacketGrid(1_005_000, null, null)).toBe(1_005_000);
  });

  it('resumeOnPacketGrid, makes the paused span whole packets so audio joins seamlessly', () => {
    const pauseUs = 1_020_000;
    const resumeUs = resumeOnPacketGrid(pauseUs, 4_031_000, 20_000);
    expect(resumeUs).toBe(4_040_000);
    const timeline = new PauseTimeline();
    timeline.pause(pauseUs);
    timeline.resume(resumeUs);
    // The packet that ends at the pause and the first packet after the resume are contiguous.
    const lastBeforeEndUs = pauseUs;
    expect(timeline.toContinuousUs(resumeUs)).toBe(lastBeforeEndUs);
    expect(timeline.toContinuousUs(resumeUs + 20_000)).toBe(lastBeforeEndUs + 20_000);
  });
});
