import { z } from "zod";

/** Only the fields Tally reads; Shopify adds fields freely, so unknown keys are ignored rather than rejected. */
export const scopesUpdatePayload = z.object({ current: z.array(z.string()) });
