import { useBlocker } from "@remix-run/react";
import { SaveBar, useAppBridge } from "@shopify/app-bridge-react";
import { useEffect } from "react";

/**
 * The contextual save bar every Tally form uses: App Bridge's `SaveBar` in Shopify's own header, shown while the form
 * differs from what is saved, with Save and Discard. While it shows, Shopify's admin asks before the merchant leaves
 * through its own chrome (nav, breadcrumb); navigation inside the app asks the same through
 * `shopify.saveBar.leaveConfirmation()` and goes on only once the merchant chooses to leave.
 *
 * The form owns its draft: `dirty` is "draft differs from saved", `onSave` submits it, `onDiscard` puts the saved
 * values back. https://shopify.dev/docs/api/app-bridge-library/react-components/save-bar
 */
export function FormSaveBar({
  id,
  dirty,
  saving,
  onSave,
  onDiscard,
}: {
  id: string;
  dirty: boolean;
  saving: boolean;
  onSave: () => void;
  onDiscard: () => void;
}) {
  useLeaveConfirmation(dirty);
  return (
    <SaveBar id={id} open={dirty || saving}>
      {/* type="button": inside a form, a plain button would also submit it natively. */}
      <button type="button" variant="primary" onClick={onSave} loading={saving ? "" : undefined} disabled={saving}>
        Save
      </button>
      <button type="button" onClick={onDiscard} disabled={saving}>
        Discard
      </button>
    </SaveBar>
  );
}

/** Holds a navigation inside the app while there are unsaved changes, until the merchant confirms leaving. */
function useLeaveConfirmation(dirty: boolean) {
  const shopify = useAppBridge();
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname,
  );
  useEffect(() => {
    if (blocker.state !== "blocked") return;
    let cancelled = false;
    void shopify.saveBar.leaveConfirmation().then(() => {
      if (!cancelled && blocker.state === "blocked") blocker.proceed();
    });
    return () => {
      cancelled = true;
    };
  }, [blocker, shopify]);
}
