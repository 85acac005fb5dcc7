/*
 * Every kind of background task, registered by importing its file (app/jobs/tasks/registry.server.ts). A new kind is
 * one file under kinds/ and one line here.
 */
import "./kinds/recalculate-points.server";
