/**
 * Starts the browser's download of a signed link (an export file, an import's problems), inside the app's frame,
 * without leaving the page: a link with `download`, clicked and removed.
 */
export function downloadFrom(url: string) {
  const anchor = document.createElement("a");
  anchor.href = url;
  anchor.download = "";
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
}
