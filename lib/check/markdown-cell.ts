/** Text safe inside one cell of a Markdown table: pipes escaped, lines joined. */
export function markdownCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
