/*
 * Every kind of background task, registered by importing its file (app/jobs/tasks/registry.server.ts). A new kind is
 * one file under kinds/ and one line here. Pages read the kinds through this module, so each is registered first.
 */
import "./kinds/recalculate-points.server";

export { findTaskKind, outcomeLabelsOf } from "./registry.server";
