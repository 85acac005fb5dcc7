export {
  defaultInvitationTemplate,
  defaultPointsReminderTemplate,
  describeLiquidError,
  editableEmails,
  pointsReminderPlaceholders,
  renderPointsReminder,
  renderSampleEmail,
  samplePointsReminderValues,
  type PointsReminderValues,
  emailTemplateLimits,
  emailTemplateSchema,
  invitationPlaceholders,
  renderInvitation,
  sampleInvitationValues,
  type SampleShop,
  type EmailTemplate,
  type InvitationPlaceholder,
  type InvitationValues,
  type RenderedEmail,
} from "./template";
export {
  classifySmtpFailure,
  emailKindSchema,
  maxSendAttempts,
  nextAttemptAt,
  retryDelaysMs,
  sendAllowance,
  type EmailKind,
  type OutboxStatus,
  type SendFailure,
} from "./outbox";
export { EmailNotConfiguredError, MailSendError } from "./errors";
export { describeSkipReason, emailSkipReasons, isEmailSkipReason, type EmailSkipReason } from "./skip-reasons";
