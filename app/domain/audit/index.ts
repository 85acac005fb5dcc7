export { auditActionLabel, auditActionLabels, auditActionSchema, type AuditAction } from "./actions";
