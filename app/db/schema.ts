export * from "./customers";
export * from "./shops";
export * from "./webhooks";
