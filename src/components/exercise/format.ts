/**
 * The tiny inline markup exercise texts use: `code` in backticks and **bold**. Everything else is escaped, so an
 * exercise text can never inject HTML.
 */

/** Escapes `&`, `<`, `>`, `"` and `'` for HTML text and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `Use \`noAck\` **now**` → `Use <code>noAck</code> <strong>now</strong>` (HTML-escaped otherwise). */
export function inlineMarkup(text: string): string {
  return text
    .split(/(`[^`]*`)/g)
    .map((part) => {
      if (part.length >= 2 && part.startsWith('`') && part.endsWith('`')) {
        return `<code>${escapeHtml(part.slice(1, -1))}</code>`;
      }
      return escapeHtml(part).replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
    })
    .join('');
}
