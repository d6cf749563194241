/**
 * Base-path aware URLs. The site can be hosted under any prefix (`BASE_PATH=/mq-lab/ npm run build`), so every
 * internal link and asset goes through `withBase`, never a hard-coded leading "/".
 *
 * `withBase('lessons/01-work-queue/')` → `/mq-lab/lessons/01-work-queue/` when built with BASE_PATH=/mq-lab/.
 * Leading slashes in `path` are ignored; `withBase('')` is the home page.
 */
export function withBase(path: string, base: string = import.meta.env.BASE_URL): string {
  const prefix = base.endsWith('/') ? base : `${base}/`;
  return prefix + path.replace(/^\/+/, '');
}

/** URL of a lesson page from its collection id (e.g. `01-work-queue`), with an optional `#fragment`. */
export function lessonUrl(id: string, fragment?: string, base?: string): string {
  const url = withBase(`lessons/${id}/`, base);
  return fragment ? `${url}#${fragment}` : url;
}
