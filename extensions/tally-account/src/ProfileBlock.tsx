import "@shopify/ui-extensions/preact";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { pointsName, pointsText, tallyGet, type AccountView } from "./tally-api";

export default async () => {
  render(<ProfileBlock />, document.body);
};

type Load = { state: "loading" } | { state: "failed" } | { state: "ready"; view: AccountView };

/** The Profile page's points and referral block (customer-account.profile.block.render). */
function ProfileBlock() {
  const { i18n, sessionToken } = shopify;
  const [load, setLoad] = useState<Load>({ state: "loading" });
  useEffect(() => {
    tallyGet<AccountView>(sessionToken, "/customer-account/v1/me").then(
      (view) => setLoad({ state: "ready", view }),
      () => setLoad({ state: "failed" }),
    );
  }, [sessionToken]);

  if (load.state === "loading") {
    return (
      <s-section heading={i18n.translate("title")}>
        <s-skeleton-paragraph />
      </s-section>
    );
  }
  if (load.state === "failed") {
    return (
      <s-section heading={i18n.translate("title")}>
        <s-paragraph color="subdued">{i18n.translate("error")}</s-paragraph>
      </s-section>
    );
  }
  const { view } = load;
  const customer = view.customer;
  const format = (n: number) => i18n.formatNumber(n);
  const name = pointsName(view.program, i18n);
  if (!customer || !customer.known) {
    return (
      <s-section heading={i18n.translate("title")}>
        <s-paragraph color="subdued">{i18n.translate("unknown", { name })}</s-paragraph>
      </s-section>
    );
  }
  if (customer.blocked) {
    return (
      <s-section heading={i18n.translate("title")}>
        <s-paragraph color="subdued">{i18n.translate("blocked")}</s-paragraph>
      </s-section>
    );
  }
  const referral = view.referral;
  return (
    <s-section heading={i18n.translate("title")}>
      <s-stack gap="base">
        <s-stack gap="small-200">
          <s-text color="subdued">{i18n.translate("balance")}</s-text>
          <s-heading>{pointsText(customer.points, view.program, i18n)}</s-heading>
          {customer.pendingPoints > 0 && (
            <s-text color="subdued">
              {i18n.translate("pending", { points: pointsText(customer.pendingPoints, view.program, i18n) })}
            </s-text>
          )}
        </s-stack>
        <s-link href={view.rewardsUrl} target="_blank">
          {i18n.translate("rewards", { name })}
        </s-link>
        {referral?.status === "joined" && (
          <s-stack gap="small-200">
            <s-text>{i18n.translate("referralLink")}</s-text>
            <s-text type="strong">{referral.url}</s-text>
            <s-clipboard-item id="tally-referral-url" text={referral.url} />
            <s-button command="--copy" commandFor="tally-referral-url" variant="secondary">
              {i18n.translate("copy")}
            </s-button>
            <s-text color="subdued">
              {i18n.translate("referrals", {
                referees: format(referral.referees),
                successful: format(referral.successful),
              })}
            </s-text>
          </s-stack>
        )}
      </s-stack>
    </s-section>
  );
}
