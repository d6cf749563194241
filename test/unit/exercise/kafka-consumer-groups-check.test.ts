/**
 * Exercise 18 (`18-kafka-consumer-groups`) end to end: the photo site and the thumbnail worker run on the simulated
 * Kafka as Check runs them (`uploads.mjs thumbnails.mjs`, the worker killed at 6 s and started again at 8 s), and
 * the check judges the real traces. The starter (commit before the resize: at-most-once) must fail because the
 * photo being resized at the crash was committed and never resized; the solution (commit after it) and kafkajs's
 * auto-commit must pass; a worker that never commits, one in another group and garbage runs must fail with the
 * sentence that names what went wrong in the run.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runPrograms } from '../../../simulator/runner/run-program.ts';
import { checkKafkaConsumerGroupsRun, kafkaConsumerGroupsExercise } from '../../../content/exercises/18-kafka-consumer-groups.ts';
import { getExercise } from '../../../content/exercises/index.ts';

const { starterCode, solutionCode, check, run, files } = kafkaConsumerGroupsExercise;
const uploads = files!.find((f) => f.name === 'uploads.mjs')!.solution;

async function runAndCheck(worker: string) {
  const result = await runPrograms([
    { source: uploads, filename: 'uploads.mjs' },
    { source: worker, filename: 'thumbnails.mjs' },
  ], { seed: run.seed, untilMs: run.untilMs, faults: run.faults });
  return { result, verdict: check(result) };
}

function variant(source: string, from: string | RegExp, to: string): string {
  const changed = source.replace(from, to);
  expect(changed, `variant: ${String(from)} not found`).not.toBe(source);
  return changed;
}

describe('exercise 18 on the simulator', () => {
  it('is registered under its id, with the run line and the crash Check uses', () => {
    expect(getExercise('18-kafka-consumer-groups')).toBe(kafkaConsumerGroupsExercise);
    expect(kafkaConsumerGroupsExercise.runLine).toBe('uploads.mjs thumbnails.mjs');
    expect(run.faults?.map((f) => f.id)).toEqual(['kill-process', 'restart-process']);
    expect(kafkaConsumerGroupsExercise.hints.length).toBeGreaterThanOrEqual(3);
  });

  it('fails the starter: the photo being resized at the crash had been committed, so it is never resized', async () => {
    const { verdict } = await runAndCheck(starterCode);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('photo-4.jpg (photos p0, offset 3) never got a thumbnail. The group had committed '
      + 'offset 4 at 5.45 s, before the worker finished that photo; the worker was killed at 6.00 s, and the '
      + 'restarted worker went on from the committed offset, starting at offset 4.');
    expect(verdict.messages.join(' ')).not.toMatch(/commitOffsets|autoCommit/);
  });

  it('passes the solution (commit after the resize): every photo, committed offset 12', async () => {
    const { verdict } = await runAndCheck(solutionCode);
    expect(verdict.messages[0]).toBe('All 12 photos got a thumbnail although the worker was killed at 6.00 s, and the group `thumbnails` ended with committed offset 12.');
    expect(verdict.passed).toBe(true);
  });

  it('passes kafkajs\'s auto-commit too, and says which photos were resized twice', async () => {
    const auto = variant(variant(starterCode, /\n  autoCommit: false,/, ''),
      /\n    \/\/ Mark the photo[^\n]*\n[^\n]*\n[^\n]*commitOffsets[^\n]*/, '');
    const { verdict } = await runAndCheck(auto);
    expect(verdict.passed).toBe(true);
    expect(verdict.messages[1]).toMatch(/^Offsets 0, 1, 2 and 3 were resized twice/);
  });

  it('fails a worker that never commits: every photo done, but the committed offset is missing', async () => {
    const never = variant(solutionCode, /\n    await consumer\.commitOffsets[^\n]*/, '');
    const { verdict } = await runAndCheck(never);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('Every photo got a thumbnail, but at the end of the run the group `thumbnails`\'s committed offset on photos p0 is missing: it never committed, not 12.');
  });

  it('fails a worker in another group', async () => {
    const { verdict } = await runAndCheck(variant(solutionCode, "groupId: 'thumbnails'", "groupId: 'thumbs-2'"));
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('The worker read the photos in the group `thumbs-2`, not `thumbnails`.');
  });

  it('fails garbage and failed runs with a message', () => {
    for (const junk of [undefined, null, 42, {}, { trace: 'no' }, { status: 'error', trace: [], error: { name: 'TypeError', message: 'x', line: 3 } }]) {
      const v = checkKafkaConsumerGroupsRun(junk);
      expect(v.passed).toBe(false);
      expect(v.messages[0].length).toBeGreaterThan(10);
    }
  });
});

describe('lesson 18\'s member.mjs / jobs.mjs example', () => {
  const dir = new URL('../../../content/exercises/18-kafka-consumer-groups/', import.meta.url);
  const member = readFileSync(new URL('member.mjs', dir), 'utf8');
  const jobs = readFileSync(new URL('jobs.mjs', dir), 'utf8');
  const lines = async (specs: Array<[string, string[]]>) => {
    const result = await runPrograms(specs.map(([file, args]) => ({ source: file === 'jobs.mjs' ? jobs : member, filename: file, args })),
      { seed: 1, untilMs: 60_000 });
    return result.console.map((l) => l.text);
  };

  it('prints what the lesson says: ana alone, then one partition each, cy idle until ben leaves, no job twice', async () => {
    const out = await lines([['member.mjs', ['ana']], ['member.mjs', ['ben', '2']], ['member.mjs', ['cy']], ['jobs.mjs', ['8']]]);
    expect(out.slice(0, 6)).toEqual(['ana owns partitions 0, 1', 'ana owns partitions 0', 'ben owns partitions 1',
      'ana owns partitions 0', 'ben owns partitions 1', 'cy owns no partition (idle)']);
    expect(out).toContain('ben left the group');
    expect(out.indexOf('cy owns partitions 1')).toBeGreaterThan(out.indexOf('ben left the group'));
    const done = out.filter((l) => / did job /.test(l)).map((l) => l.replace(/ \(p\d\)$/, '').split(' did ')[1]);
    expect(done.sort()).toEqual(['job 1', 'job 2', 'job 3', 'job 4', 'job 5', 'job 6', 'job 7', 'job 8']);
  });

  it('the Try: without cy, ana takes over partition 1 when ben leaves', async () => {
    const out = await lines([['member.mjs', ['ana']], ['member.mjs', ['ben', '2']], ['jobs.mjs', ['8']]]);
    expect(out.slice(out.indexOf('ben left the group'))).toContain('ana owns partitions 0, 1');
    expect(out.filter((l) => l.startsWith('ana did job')).length).toBe(6);
  });
});
