import { useCallback, useRef } from "react";

/**
 * A ref for a modal's content: while a field in it has focus, that field and its messages (the error and help text
 * its `aria-describedby` names) are kept in view whenever the content changes size. A modal taller than the window
 * scrolls its content, and the browser only brings the focused input itself into view: a refusal under it, or a
 * warning appearing above that pushes it down, would otherwise leave it at or past the modal's bottom edge.
 */
export function useFocusedFieldInView() {
  const stop = useRef<(() => void) | null>(null);
  return useCallback((content: HTMLElement | null) => {
    stop.current?.();
    stop.current = content ? watch(content) : null;
  }, []);
}

function watch(content: HTMLElement): () => void {
  let observer: ResizeObserver | null = null;
  const unobserve = () => {
    observer?.disconnect();
    observer = null;
  };
  const onFocusIn = (event: FocusEvent) => {
    unobserve();
    // App Bridge has moved the content into the modal's own document: the field is no `instanceof` this window's
    // HTMLElement, and the observer is that document's window's.
    const field = event.target as HTMLElement;
    const view = content.ownerDocument.defaultView;
    if (!view) return;
    // Observing reports the size once at once, so the field is brought into view as it takes focus too.
    observer = new view.ResizeObserver(() => keepInView(field));
    observer.observe(content);
  };
  content.addEventListener("focusin", onFocusIn);
  content.addEventListener("focusout", unobserve);
  return () => {
    content.removeEventListener("focusin", onFocusIn);
    content.removeEventListener("focusout", unobserve);
    unobserve();
  };
}

function keepInView(field: HTMLElement) {
  const document = field.ownerDocument;
  const messages = (field.getAttribute("aria-describedby") ?? "")
    .split(/\s+/)
    .flatMap((id) => document.getElementById(id) ?? []);
  const lowest = messages.reduce(
    (low, message) => (message.getBoundingClientRect().bottom > low.getBoundingClientRect().bottom ? message : low),
    field,
  );
  // The field last, so it stays in view when it and its messages are taller than the modal.
  lowest.scrollIntoView({ block: "nearest" });
  field.scrollIntoView({ block: "nearest" });
}
