export * from "./checkouts";
export * from "./compliance";
export * from "./customers";
export * from "./ledger";
export * from "./orders";
export * from "./program";
export * from "./shops";
export * from "./webhooks";
