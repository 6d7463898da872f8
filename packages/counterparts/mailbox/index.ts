export { startMailbox, MailboxConfigError, MIN_API_KEY_LENGTH, MAX_TAGS, type MailboxOptions, type MailboxService } from "./service";
export { sendMail, MailDeliveryError, type MailDeliveryErrorCode, type MailTag, type SendMailOptions } from "./client";
