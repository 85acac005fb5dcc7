import { Box, Form } from "@shopify/polaris";
import { useCallback, useEffect, useRef, type ReactNode } from "react";

// Inputs where a browser's Enter submits a form (HTML's "implicit submission"); not buttons, boxes or lists.
const notTyped = new Set([
  "button",
  "checkbox",
  "color",
  "file",
  "hidden",
  "image",
  "radio",
  "range",
  "reset",
  "submit",
]);

/**
 * A form whose Save is in the admin's own chrome, outside the form (an App Bridge modal's primary action, the contextual
 * save bar): Enter in a field submits it as that button does, without Polaris' hidden submit button (`implicitSubmit`),
 * which screen readers announce as a stray "Submit" and axe flags. The browser only submits by Enter on its own when a
 * form has a submit button or a single field, so Enter is heard here: in a one-line field, without a modifier, and not
 * while an input method is composing a word.
 */
export function EnterSubmitsForm({ onSubmit, children }: { onSubmit: () => void; children: ReactNode }) {
  // The newest onSubmit, for the listener attached once: it reads the form's current values.
  const latest = useRef(onSubmit);
  useEffect(() => {
    latest.current = onSubmit;
  });
  const stop = useRef<(() => void) | null>(null);
  const enterSubmits = useCallback((content: HTMLElement | null) => {
    stop.current?.();
    stop.current = null;
    if (!content) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Enter" || event.isComposing || event.shiftKey || event.altKey || event.ctrlKey) return;
      if (event.metaKey || event.defaultPrevented) return;
      // App Bridge moves the content into the modal's own document: no `instanceof` this window's HTMLInputElement.
      const field = event.target as HTMLInputElement;
      if (field.tagName !== "INPUT" || notTyped.has(field.type)) return;
      event.preventDefault();
      latest.current();
    };
    content.addEventListener("keydown", onKeyDown);
    stop.current = () => content.removeEventListener("keydown", onKeyDown);
  }, []);
  return (
    <Form onSubmit={onSubmit} implicitSubmit={false} noValidate>
      <Box ref={enterSubmits}>{children}</Box>
    </Form>
  );
}
