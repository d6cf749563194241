/**
 * Client side of `Exercise.astro`: Check (run, then judge the run with the exercise's pure `check`), hints one at a
 * time, the solution behind a confirmation, and progress in `mqlab:progress:v1` (via `src/lib/progress.ts`).
 */
import type { CheckResult, ExerciseDefinition } from '../../../content/exercises/types.ts';
import { loadExercise } from '../../../content/exercises/load.ts';
import { getCodeRunner, initCodeRunners } from '../code/code-runner.ts';
import { secondsText, type RunOutcome } from '../code/run-in-worker.ts';
import { readProgress, recordExercisePass, updateLessonProgress, type LessonProgress } from '../../lib/progress.ts';
import { escapeHtml, inlineMarkup } from './format.ts';
import { withErrorHelp } from './error-help.ts';
import { prefersReducedMotion } from '../../lib/motion.ts';

/** `document` event fired when an exercise is passed. */
export const EXERCISE_PASSED_EVENT = 'mqlab:exercise-passed';

const initialised = new WeakSet<HTMLElement>();

/** Initialises every `[data-exercise]` under `scope` not initialised yet. Idempotent. */
export function initExercises(scope: ParentNode = document): void {
  for (const root of scope.querySelectorAll<HTMLElement>('[data-exercise]')) void initExercise(root);
}

/**
 * Starts the exercise whose markup is `root` and its code runner (once; later calls do nothing). Resolves when its
 * buttons work; a definition that cannot load is reported on the console (the page keeps working).
 */
export async function initExercise(root: HTMLElement): Promise<void> {
  if (initialised.has(root)) return;
  initialised.add(root);
  initCodeRunners(root);
  try {
    // Each exercise is its own chunk: the page downloads its own only.
    setUp(root, await loadExercise(root.dataset.exerciseId ?? ''));
  } catch (error) {
    console.error('MQ Lab: exercise could not start', error);
  }
}

/**
 * Turns a run's outcome into a verdict: only a finished run is judged by the exercise's check; a run that stopped
 * with an error the learner may not recognise gets a plain explanation of it (`error-help.ts`).
 */
export function judge(exercise: ExerciseDefinition, outcome: RunOutcome): CheckResult {
  switch (outcome.kind) {
    case 'finished':
      return withErrorHelp(exercise.check(outcome.result), outcome.result);
    case 'timeout':
      return {
        passed: false,
        messages: outcome.simulatedMs !== undefined && outcome.simulatedMs > 0
          ? [`Stopped: your program kept the simulator busy for more than ${secondsText(outcome.limitMs)} of real `
            + 'time (a timer that fires very often, such as setInterval every 1 ms?).',
          'Nothing could be checked. Use longer intervals, or stop timers when the work is done, and check again.']
          : [`Stopped: your program ran for more than ${secondsText(outcome.limitMs)} of real time — is there `
            + 'an infinite loop?', 'Nothing could be checked. Fix the loop and check again.'],
      };
    case 'failed':
      return { passed: false, messages: [outcome.message] };
    case 'cancelled':
      return { passed: false, messages: ['The run was cancelled before it finished. Check again.'] };
  }
}

function setUp(root: HTMLElement, exercise: ExerciseDefinition): void {
  const runnerEl = root.querySelector('[data-code-runner]');
  const runner = getCodeRunner(runnerEl);
  if (!runner) throw new Error(`exercise ${exercise.id}: its code runner did not start`);
  const checkButton = button(root, 'check');
  const hintButton = button(root, 'hint');
  const solutionButton = button(root, 'solution');
  const result = part(root, '[data-result]');
  const hints = [...root.querySelectorAll<HTMLElement>('[data-hint]')];
  const confirmBox = part(root, '[data-solution-confirm]');
  const solutionBox = part(root, '[data-solution]');
  const passedBefore = part(root, '[data-passed-before]');

  const passedText = part(root, '[data-passed-text]');
  /** Whether the learner revealed the solution on this page (also stored, unless storage is unavailable). */
  let solutionShownNow = false;
  const showPassedBefore = (entry: LessonProgress | undefined) => {
    if (!entry?.exercisePassed) return;
    passedBefore.hidden = false;
    passedText.textContent = entry.passedWithSolution
      ? 'Exercise passed with the solution shown (saved in this browser).'
      : 'Exercise passed (saved in this browser).';
  };
  showPassedBefore(readProgress().lessons[exercise.lessonSlug]);

  const showVerdict = (verdict: CheckResult, withSolution = false) => {
    result.hidden = false;
    result.dataset.verdict = verdict.passed ? 'pass' : 'fail';
    const [headline = '', ...details] = verdict.messages;
    if (withSolution) details.push('Your progress records this exercise as passed with the solution shown.');
    const title = verdict.passed ? (withSolution ? 'Passed with the solution shown.' : 'Passed!') : 'Not yet.';
    result.innerHTML = `<p class="exercise__verdict">${escapeHtml(title)} ${inlineMarkup(headline)}</p>`
      + (details.length ? `<ul>${details.map((m) => `<li>${inlineMarkup(m)}</li>`).join('')}</ul>` : '');
  };

  // While a check runs the button is marked aria-disabled rather than `disabled`: a disabled button drops the
  // keyboard focus to <body>, so a keyboard user would have to find their way back after every check.
  let checking = false;
  checkButton.addEventListener('click', async () => {
    if (checking) return;
    checking = true;
    checkButton.setAttribute('aria-disabled', 'true');
    result.hidden = false;
    delete result.dataset.verdict;
    result.textContent = 'Running your program and checking its run…';
    // Several files run as the exercise says (the learner's own run line is for trying things out).
    const outcome = await runner.run(exercise.runLine === undefined ? undefined : { runLine: exercise.runLine });
    let verdict: CheckResult;
    try {
      verdict = judge(exercise, outcome);
    } catch (error) {
      verdict = { passed: false, messages: [`The check itself failed: ${String(error)}`] };
    }
    const entry = verdict.passed ? recordExercisePass(exercise.lessonSlug, solutionShownNow) : undefined;
    showVerdict(verdict, entry?.passedWithSolution === true);
    checking = false;
    checkButton.removeAttribute('aria-disabled');
    if (entry) {
      showPassedBefore(entry);
      document.dispatchEvent(new CustomEvent(EXERCISE_PASSED_EVENT, {
        detail: { exerciseId: exercise.id, lessonSlug: exercise.lessonSlug },
      }));
    }
    result.scrollIntoView({ block: 'nearest', behavior: scrollBehavior() });
  });

  let hintsShown = 0;
  const updateHintButton = () => {
    if (hintsShown >= hints.length) {
      hintButton.disabled = true;
      hintButton.textContent = 'All hints shown';
    } else {
      hintButton.textContent = `Show ${hintsShown === 0 ? 'a' : 'another'} hint (${hintsShown + 1} of ${hints.length})`;
    }
  };
  hintButton.addEventListener('click', () => {
    const next = hints[hintsShown];
    if (!next) return;
    next.hidden = false;
    hintsShown++;
    updateHintButton();
    next.focus();
  });
  updateHintButton();

  solutionButton.addEventListener('click', () => {
    if (!solutionBox.hidden) {
      solutionBox.focus();
      return;
    }
    confirmBox.hidden = false;
    button(root, 'solution-confirm').focus();
  });
  button(root, 'solution-cancel').addEventListener('click', () => {
    confirmBox.hidden = true;
    solutionButton.focus();
  });
  button(root, 'solution-confirm').addEventListener('click', () => {
    confirmBox.hidden = true;
    solutionBox.hidden = false;
    solutionShownNow = true;
    updateLessonProgress(exercise.lessonSlug, { solutionShown: true });
    solutionButton.textContent = 'Solution shown below';
    solutionBox.focus();
  });
  button(root, 'solution-use').addEventListener('click', () => {
    if (exercise.files !== undefined) runner.setFiles(exercise.files.map((f) => ({ name: f.name, code: f.solution })));
    else runner.setCode(exercise.solutionCode);
    runner.root.scrollIntoView({ block: 'start', behavior: scrollBehavior() });
  });

  root.dataset.ready = 'true';
}

/** Smooth scrolling, unless the visitor asked for reduced motion. */
function scrollBehavior(): ScrollBehavior {
  return prefersReducedMotion() ? 'auto' : 'smooth';
}

function button(root: HTMLElement, action: string): HTMLButtonElement {
  return part(root, `[data-action="${action}"]`) as HTMLButtonElement;
}

function part(root: HTMLElement, selector: string): HTMLElement {
  // Only this exercise's own parts: not those of the code runner inside it.
  const el = [...root.querySelectorAll<HTMLElement>(selector)].find((e) => !e.closest('[data-code-runner]'));
  if (!el) throw new Error(`Exercise markup is missing ${selector}`);
  return el;
}
