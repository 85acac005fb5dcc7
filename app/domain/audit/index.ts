export { auditActionLabel, auditActionLabels, auditActionSchema, type AuditAction } from "./actions";
export { describeFieldChanges, fieldLabel, valueWords } from "./field-changes";
