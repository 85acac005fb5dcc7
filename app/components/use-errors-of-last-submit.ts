import { useState } from "react";

/**
 * The server's refusal of a form's last submit, field by field (`fieldErrors`, as the action answered it), each field's
 * hidden once staff change that field: a refusal answers the values submitted, not the ones now typed ("CAD has 2
 * decimal places" under an amount since corrected). Call `changed(field)` on every edit and `submitted()` on each
 * submit, which shows the next answer's errors whole.
 */
export function useErrorsOfLastSubmit<Field extends string>(fieldErrors: Record<string, string[] | undefined>) {
  const [edited, setEdited] = useState<Partial<Record<Field, true>>>({});
  return {
    errorsOf: (field: Field) => (edited[field] ? undefined : fieldErrors[field]),
    errorOf: (field: Field) => (edited[field] ? undefined : fieldErrors[field]?.[0]),
    changed: (field: Field) => setEdited((was) => (was[field] ? was : { ...was, [field]: true })),
    submitted: () => setEdited({}),
  };
}
