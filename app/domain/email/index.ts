export {
  defaultInvitationTemplate,
  defaultPointsReminderTemplate,
  describeLiquidError,
  describePlaceholders,
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
export { EmailNotConfiguredError, MailSendError, SenderAddressMissingError } from "./errors";
export {
  describeSkipReason,
  emailSkipReasons,
  isEmailSkipReason,
  mostImportantSkipReason,
  skipReasonPrecedence,
  type EmailSkipReason,
} from "./skip-reasons";
export { SAMPLE_UNSUBSCRIBE_PATH, withFooter, type EmailFooter } from "./footer";
