import { Form, useSubmit } from "@remix-run/react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Banner, Layout, type BannerHandles } from "@shopify/polaris";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { FormSaveBar } from "./save-bar";

/** The server's messages keyed by settings path ("friendReward.percent", "redeemOptions.0.title"). */
export type FieldErrors = Record<string, string[] | undefined>;

/** What a versioned settings page's action answers: the version saved, or why nothing was. */
export type SettingsSaveAnswer =
  { ok: true; changed: boolean; version: number } | { error: string; fieldErrors?: Record<string, string[]> };

/**
 * The draft of a versioned settings form (the program, the referral program), kept in the browser until saved.
 * `set(key)` is a field's onChange; `errorOf(...paths)` is the first message for those settings paths, or is undefined
 * when there are none (a field's `error` prop): what `typedErrors` finds in the draft as it is typed (a text past its
 * limit, in the server's words for it), else the server's. `formProps` go to `SettingsDraftForm`, which posts nothing
 * while `typedErrors` finds anything.
 */
export function useSettingsDraft<Values extends object>(
  initial: Values,
  fieldErrors: FieldErrors,
  typedErrors: (draft: Values) => Record<string, string> = () => ({}),
) {
  const [draft, setDraft] = useState(initial);
  const set =
    <Key extends keyof Values>(key: Key) =>
    (value: Values[Key]) =>
      setDraft((current) => ({ ...current, [key]: value }));
  const typed = typedErrors(draft);
  // One sentence per field: the first message of the first path that has one, never several glued together.
  const errorOf = (...paths: string[]) => paths.map((path) => typed[path] ?? fieldErrors[path]?.[0]).find(Boolean);
  /** What `SettingsDraftForm` needs of the draft: Discard puts the saved values back. */
  const formProps = {
    initial,
    draft,
    onDiscard: () => setDraft(initial),
    unsendable: Object.keys(typed).length > 0,
  };
  return { draft, setDraft, set, errorOf, formProps };
}

/**
 * A versioned settings form, posted whole as a JSON `settings` field: the server converts and validates it and answers
 * with errors keyed by settings path, which land on their fields. The browser validates nothing (no `min`, `required`
 * or number inputs) but what `useSettingsDraft`'s `typedErrors` says under the fields as they are typed: while there is
 * any (`unsendable`), Save posts nothing and says "`notSavedTitle`: correct the fields marked below", as a refused save
 * does. Saving and discarding go through the contextual save bar, shown while the draft differs from what is saved.
 * `children` are the form's `Layout` sections.
 */
export function SettingsDraftForm<Values>({
  saveBarId,
  initial,
  draft,
  onDiscard,
  unsendable,
  notSavedTitle,
  saving,
  children,
}: {
  saveBarId: string;
  initial: Values;
  draft: Values;
  onDiscard: () => void;
  unsendable: boolean;
  notSavedTitle: string;
  saving: boolean;
  children: ReactNode;
}) {
  const form = useRef<HTMLFormElement>(null);
  const submit = useSubmit();
  // Counts the saves held back, so that each press brings the banner into view again (focus scrolls to it).
  const [held, setHeld] = useState(0);
  const banner = useRef<BannerHandles>(null);
  useEffect(() => {
    if (held > 0) banner.current?.focus();
  }, [held]);
  return (
    <>
      <FormSaveBar
        id={saveBarId}
        dirty={JSON.stringify(draft) !== JSON.stringify(initial)}
        saving={saving}
        onSave={() => (unsendable ? setHeld((count) => count + 1) : submit(form.current))}
        onDiscard={onDiscard}
      />
      {held > 0 && unsendable ? (
        <Banner ref={banner} tone="critical" title={notSavedTitle}>
          <p>Correct the fields marked below and save again.</p>
        </Banner>
      ) : null}
      <Form method="post" noValidate ref={form}>
        <input type="hidden" name="settings" value={JSON.stringify(draft)} />
        <Layout>{children}</Layout>
      </Form>
    </>
  );
}

/**
 * Toasts a settings page's save (`savedMessage`, or "No changes to save" when nothing changed) and returns the field
 * errors of a failed one for the form.
 */
export function useSettingsSaveAnswer(answer: SettingsSaveAnswer | undefined, savedMessage: string): FieldErrors {
  const shopify = useAppBridge();
  useEffect(() => {
    if (answer && "ok" in answer) shopify.toast.show(answer.changed ? savedMessage : "No changes to save");
  }, [answer, shopify, savedMessage]);
  return answer && "fieldErrors" in answer ? (answer.fieldErrors ?? {}) : {};
}

/** The banner over a settings form whose save failed: what to correct, or the server's reason. */
export function SettingsSaveFailed({ answer, title }: { answer: SettingsSaveAnswer | undefined; title: string }) {
  if (!answer || !("error" in answer)) return null;
  return (
    <Banner tone="critical" title={title}>
      <p>{answer.fieldErrors ? "Correct the fields marked below and save again." : answer.error}</p>
    </Banner>
  );
}
