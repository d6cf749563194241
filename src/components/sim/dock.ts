/**
 * Pinned player: once the learner scrolls past a simulation (it is above the viewport), its toolbar and diagram
 * float in a corner (`data-docked` on the `[data-mq-sim]` root and `data-sim-docked` on `<html>` so the lesson
 * layout can make room; CSS in Simulation.astro), so a code run
 * started far below the diagram plays where the learner can see it. The slot keeps its height so nothing jumps.
 *
 * "×" hides the pinned player until the simulation is scrolled back into view (or a new run is handed over with
 * the `mqlab:trace` event); "↑" scrolls back to the full simulation. Docking waits until the island is mounted
 * (`data-ready`).
 *
 * Below the wide layout (68rem) the pinned player is a slim bar (play/pause and the clock) and its diagram opens
 * on request ("Diagram") or when a code run is handed over, so it covers what the learner reads or types only
 * while they watch a run of theirs; the page gets room at its
 * bottom as tall as the player (`--sim-dock-height` on `<html>`), so nothing is left under it.
 */
export function dockWhenScrolledPast(root: HTMLElement): void {
  const slot = root.querySelector<HTMLElement>('[data-sim-dock-slot]');
  if (!slot) return;
  let dismissed = false;
  let visible = true;

  const scrolledPast = () => slot.getBoundingClientRect().bottom < 0;
  const dockEl = root.querySelector<HTMLElement>('[data-sim-dock]');
  const measure = () => {
    if (root.dataset.docked !== 'true' || !dockEl) return;
    document.documentElement.style.setProperty('--sim-dock-height', `${Math.ceil(dockEl.getBoundingClientRect().height)}px`);
  };
  if (dockEl && 'ResizeObserver' in window) new ResizeObserver(measure).observe(dockEl);
  const dock = () => {
    if (root.dataset.docked === 'true') return;
    slot.style.height = `${slot.offsetHeight}px`;
    root.dataset.docked = 'true';
    document.documentElement.dataset.simDocked = 'true';
    measure();
  };
  const undock = () => {
    if (root.dataset.docked !== 'true') return;
    delete root.dataset.docked;
    delete document.documentElement.dataset.simDocked;
    document.documentElement.style.removeProperty('--sim-dock-height');
    slot.style.height = '';
  };
  const diagramToggle = root.querySelector<HTMLButtonElement>('[data-action="dock-diagram"]');
  const showDiagram = (open: boolean) => {
    if (open) root.dataset.dockDiagram = 'open';
    else delete root.dataset.dockDiagram;
    diagramToggle?.setAttribute('aria-expanded', String(open));
    if (diagramToggle) diagramToggle.textContent = open ? 'Hide diagram' : 'Diagram';
    requestAnimationFrame(measure);
  };
  diagramToggle?.addEventListener('click', () => showDiagram(root.dataset.dockDiagram !== 'open'));
  const update = () => {
    if (!visible && scrolledPast() && !dismissed && root.dataset.ready === 'true') dock();
    else undock();
  };

  // Scroll position, not IntersectionObserver: a jump (anchor link, scrollIntoView) from below the simulation to
  // far past it never shows it in a frame, so an observer would see no change.
  let ticking = false;
  const onScroll = () => {
    if (ticking) return;
    ticking = true;
    requestAnimationFrame(() => {
      ticking = false;
      const rect = slot.getBoundingClientRect();
      const nowVisible = rect.bottom > 0 && rect.top < innerHeight;
      if (nowVisible && !visible) dismissed = false;
      visible = nowVisible;
      update();
    });
  };
  addEventListener('scroll', onScroll, { passive: true });
  addEventListener('resize', onScroll, { passive: true });
  onScroll();
  // The island sets data-ready when it mounts, possibly after the learner has already scrolled past.
  new MutationObserver(onScroll).observe(root, { attributes: true, attributeFilter: ['data-ready'] });

  // A run handed over from below (the code runner) shows in the pinned player at once, diagram open: the learner
  // pressed Run to see it ("Hide diagram" closes it again).
  document.addEventListener('mqlab:trace', () => {
    dismissed = false;
    showDiagram(true);
    // The island may mount in response to the same event: re-check after it has.
    queueMicrotask(update);
    setTimeout(update, 50);
  });
  root.querySelector('[data-action="dock-hide"]')?.addEventListener('click', () => {
    dismissed = true;
    undock();
  });
  root.querySelector('[data-action="dock-jump"]')?.addEventListener('click', () => {
    undock();
    root.scrollIntoView({ block: 'start' });
    root.focus({ preventScroll: true });
  });
}
