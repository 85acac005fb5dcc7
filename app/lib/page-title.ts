/**
 * The app document's title: the page, the pages it sits under, then the app ("Maya Okafor · Customers · Tally").
 * The admin titles its own page around the frame; this is what a screen reader announces inside it, and what axe's
 * document-title asks for (newcomer round 21, F21). For a route's `meta`.
 */
export function pageTitle(...trail: string[]): [{ title: string }] {
  return [{ title: [...trail, "Tally"].join(" · ") }];
}
