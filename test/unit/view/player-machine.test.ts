import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import {
  eventTimesOf, nextSpeed, nextTimeAfter, playerMachine, WALL_DT_MAX_MS,
} from '../../../src/components/sim/player-machine.ts';

function started(play = false) {
  const actor = createActor(playerMachine).start();
  actor.send({ type: 'LOAD', eventTimes: [0, 100, 250, 1000], endedAtMs: 1000, play });
  return actor;
}

describe('player machine', () => {
  it('advances the clock by wall time × speed only while playing', () => {
    const actor = started(false);
    actor.send({ type: 'TICK', wallMs: 100 });
    expect(actor.getSnapshot().context.atMs).toBe(0);
    actor.send({ type: 'PLAY' });
    actor.send({ type: 'SPEED', speed: 2 });
    actor.send({ type: 'TICK', wallMs: 100 });
    expect(actor.getSnapshot().value).toBe('playing');
    expect(actor.getSnapshot().context.atMs).toBe(200);
  });

  it('caps one frame gap so a background tab does not leap ahead', () => {
    const actor = started(true);
    actor.send({ type: 'TICK', wallMs: 10_000 });
    expect(actor.getSnapshot().context.atMs).toBe(WALL_DT_MAX_MS);
  });

  it('stops at the end of the run and starts again from 0 on PLAY', () => {
    const actor = started(true);
    actor.send({ type: 'SPEED', speed: 64 });
    actor.send({ type: 'TICK', wallMs: 200 });
    expect(actor.getSnapshot().value).toBe('ended');
    expect(actor.getSnapshot().context.atMs).toBe(1000);
    actor.send({ type: 'PLAY' });
    expect(actor.getSnapshot().value).toBe('playing');
    expect(actor.getSnapshot().context.atMs).toBe(0);
  });

  it('STEP jumps to the next event time and pauses', () => {
    const actor = started(true);
    actor.send({ type: 'TICK', wallMs: 120 });
    actor.send({ type: 'STEP' });
    expect(actor.getSnapshot().value).toBe('paused');
    expect(actor.getSnapshot().context.atMs).toBe(250);
    actor.send({ type: 'STEP' });
    expect(actor.getSnapshot().context.atMs).toBe(1000);
  });

  it('RESTART rewinds to 0 and plays; SEEK clamps into the run', () => {
    const actor = started(false);
    actor.send({ type: 'SEEK', atMs: 5000 });
    expect(actor.getSnapshot().context.atMs).toBe(1000);
    actor.send({ type: 'SEEK', atMs: -3 });
    expect(actor.getSnapshot().context.atMs).toBe(0);
    actor.send({ type: 'SEEK', atMs: 400 });
    actor.send({ type: 'RESTART' });
    expect(actor.getSnapshot().value).toBe('playing');
    expect(actor.getSnapshot().context.atMs).toBe(0);
  });

  it('LOAD can continue a forked run from the current time', () => {
    const actor = started(true);
    actor.send({ type: 'LOAD', eventTimes: [0, 2000], endedAtMs: 2000, atMs: 600, play: true });
    expect(actor.getSnapshot().value).toBe('playing');
    expect(actor.getSnapshot().context.atMs).toBe(600);
  });
});

describe('speed and step helpers', () => {
  it('snaps speeds to the offered list and moves one notch with delta', () => {
    expect(nextSpeed(1, { speed: 3 })).toBe(4);
    expect(nextSpeed(1, { speed: 1000 })).toBe(64);
    expect(nextSpeed(1, { delta: 1 })).toBe(2);
    expect(nextSpeed(0.25, { delta: -1 })).toBe(0.25);
    expect(nextSpeed(64, { delta: 1 })).toBe(64);
  });

  it('lists distinct event times and finds the next one strictly after a time', () => {
    const times = eventTimesOf([{ t: 0 }, { t: 0 }, { t: 5 }, { t: 9 }, { t: 9 }]);
    expect(times).toEqual([0, 5, 9]);
    expect(nextTimeAfter(times, 0)).toBe(5);
    expect(nextTimeAfter(times, 4.5)).toBe(5);
    expect(nextTimeAfter(times, 9)).toBeUndefined();
  });
});
