import { customerControl } from "./customers";
import type { ControlDeps } from "./deps";
import { discountControl } from "./discounts";
import { orderControl } from "./orders";
import { segmentControl } from "./segments";
import { shopControl } from "./shops";
import { themeControl } from "./theme";
import { webhookControl } from "./webhooks";

export type { ControlDeps } from "./deps";

/**
 * The control API: what tests, benches and the demo do to the sandbox that an app cannot (seed a shop, be a shopper,
 * be the merchant in Shopify admin, inject faults). In process as `sandbox.control.*`, over HTTP as
 * `POST|GET /_sandbox/{operation}` with the same names and one JSON object argument.
 */
export function createControl(deps: ControlDeps) {
  return {
    ...shopControl(deps),
    ...customerControl(deps),
    ...orderControl(deps),
    ...discountControl(deps),
    ...segmentControl(deps),
    ...webhookControl(deps),
    ...themeControl(deps),
  };
}

export type SandboxControl = ReturnType<typeof createControl>;
