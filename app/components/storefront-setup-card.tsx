import { useAppBridge } from "@shopify/app-bridge-react";
import { Badge, Banner, BlockStack, Box, Button, Card, InlineStack, Link, Text } from "@shopify/polaris";
import { useEffect, useState } from "react";

/** The theme app extension's blocks Home checks (extensions/tally-widget/blocks). */
export const SETUP_BLOCKS = ["launcher", "points-balance", "rewards", "referral"] as const;
type Handle = (typeof SETUP_BLOCKS)[number];
type Status = "active" | "available" | "unavailable";

interface Step {
  handle: Handle;
  title: string;
  description: string;
  action: string;
  /** The theme editor deep link (shopify.dev, theme app extensions: "Deep linking"), without the app's API key. */
  link: (apiKey: string) => string;
  optional?: boolean;
}

const editor = "shopify://admin/themes/current/editor";
const STEPS: Step[] = [
  {
    handle: "launcher",
    title: "Turn on the Rewards launcher",
    description: "A Rewards button on every page of your store opens the panel: points, rewards, referrals.",
    action: "Turn on in theme editor",
    link: (apiKey) => `${editor}?context=apps&activateAppId=${apiKey}/launcher`,
  },
  {
    handle: "points-balance",
    title: "Show points on the account page",
    description: "Signed-in customers see their balance next to their orders.",
    action: "Add to account page",
    link: (apiKey) => `${editor}?template=customers/account&addAppBlockId=${apiKey}/points-balance&target=mainSection`,
  },
  {
    handle: "rewards",
    title: "Add ways to earn and redeem to a page",
    // Tally's own rewards page (step 5) is live from install: this block is for a page of the merchant's own design.
    description: "Your rewards page is live already; add this to show earning and Redeem on a page of your own design.",
    action: "Add to a page",
    link: (apiKey) => `${editor}?template=page&addAppBlockId=${apiKey}/rewards&target=newAppsSection`,
    optional: true,
  },
  {
    handle: "referral",
    title: "Let customers share their referral link",
    description: "Copy and share buttons for email, WhatsApp and X.",
    action: "Add to a page",
    link: (apiKey) => `${editor}?template=page&addAppBlockId=${apiKey}/referral&target=newAppsSection`,
    optional: true,
  },
];

/**
 * Each block's status in the published theme, by handle, from every theme app extension of the app; with the app's
 * API key and the shop, which the deep links need (App Bridge answers only in the browser, never during render).
 */
async function readSetup(shopify: ReturnType<typeof useAppBridge>): Promise<Setup> {
  const statuses = new Map<string, Status>();
  for (const extension of await shopify.app.extensions()) {
    if (extension.type !== "theme_app_extension") continue;
    for (const block of extension.activations as Array<{ handle: string; status: Status }>) {
      statuses.set(block.handle, block.status);
    }
  }
  return { statuses, apiKey: shopify.config.apiKey, shop: shopify.config.shop ?? "" };
}

interface Setup {
  statuses: Map<string, Status>;
  apiKey: string;
  shop: string;
}
type Found = { state: "loading" } | { state: "failed" } | ({ state: "ready" } & Setup);

/**
 * What the shop's published theme has of Tally's theme app extension, read with App Bridge's
 * `shopify.app.extensions()` (each block's status: active, available or unavailable), with a theme editor deep link
 * for each step not done (App Store requirement 5.1.3). Read again when Home opens and on "Check again".
 */
export function StorefrontSetupCard() {
  const shopify = useAppBridge();
  const [found, setFound] = useState<Found>({ state: "loading" });
  const [checks, setChecks] = useState(0);
  useEffect(() => {
    let current = true;
    readSetup(shopify).then(
      (setup) => current && setFound({ state: "ready", ...setup }),
      () => current && setFound({ state: "failed" }),
    );
    return () => {
      current = false;
    };
  }, [shopify, checks]);
  const check = () => {
    setFound({ state: "loading" });
    setChecks((n) => n + 1);
  };

  const statusOf = (handle: Handle) => (found.state === "ready" ? found.statuses.get(handle) : undefined);
  const done = STEPS.filter((step) => !step.optional && statusOf(step.handle) === "active").length;
  const required = STEPS.filter((step) => !step.optional).length;

  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              Set up your storefront
            </Text>
            <Text as="p" tone="subdued">
              {found.state === "ready"
                ? `${done} of ${required} required steps done in your published theme`
                : "Checking your published theme…"}
            </Text>
          </BlockStack>
          <Button onClick={check} loading={found.state === "loading"}>
            Check again
          </Button>
        </InlineStack>
        {found.state === "failed" && (
          <Banner tone="warning">
            <p>Tally could not read your theme&apos;s app blocks. Check again in a moment.</p>
          </Banner>
        )}
        <BlockStack gap="300" as="ol">
          {STEPS.map((step, index) => {
            const status = statusOf(step.handle);
            return (
              <Box as="li" key={step.handle} data-setup-step={step.handle} data-setup-status={status ?? "unknown"}>
                <InlineStack align="space-between" blockAlign="center" gap="400" wrap={false}>
                  <BlockStack gap="100">
                    {/* `align` set here: an InlineStack without it inherits the row's space-between (a CSS variable),
                        which pushed a badge to the far edge when the step had no button beside it. */}
                    <InlineStack gap="200" align="start" blockAlign="center">
                      <Text as="h3" variant="headingSm">
                        {`${index + 1}. ${step.title}`}
                      </Text>
                      {status === "active" && (
                        <Badge tone="success">{step.handle === "launcher" ? "On" : "Added"}</Badge>
                      )}
                      {status === "available" && <Badge>{step.optional ? "Optional" : "Not yet"}</Badge>}
                      {status === "unavailable" && <Badge tone="warning">Unavailable</Badge>}
                    </InlineStack>
                    <Text as="p" tone="subdued">
                      {step.description}
                    </Text>
                  </BlockStack>
                  {found.state === "ready" && status !== "active" && (
                    <Button url={step.link(found.apiKey)} target="_top" disabled={status === "unavailable"}>
                      {step.action}
                    </Button>
                  )}
                </InlineStack>
              </Box>
            );
          })}
          <Box as="li">
            <BlockStack gap="100">
              <Text as="h3" variant="headingSm">
                {`${STEPS.length + 1}. Review how customers earn and redeem`}
              </Text>
              <Text as="p" tone="subdued">
                {found.state === "ready" && (
                  <>
                    Your rewards page is already live at{" "}
                    <Link url={`https://${found.shop}/apps/tally/`} target="_blank">
                      {`${found.shop}/apps/tally`}
                    </Link>
                    .{" "}
                  </>
                )}
                Set the points name, earning rate and rewards in <Link url="/app/settings">Settings</Link>.
              </Text>
            </BlockStack>
          </Box>
        </BlockStack>
      </BlockStack>
    </Card>
  );
}
