export {
  defaultInvitationTemplate,
  emailTemplateLimits,
  emailTemplateSchema,
  invitationPlaceholders,
  renderInvitation,
  sampleInvitationValues,
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
  type EmailSkipReason,
  type OutboxStatus,
  type SendFailure,
} from "./outbox";
export { EmailNotConfiguredError, MailSendError } from "./errors";
