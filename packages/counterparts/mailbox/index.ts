export { startMailbox, MailboxConfigError, MIN_API_KEY_LENGTH, type MailboxOptions } from "./service";
export { sendMail, MailDeliveryError, type MailDeliveryErrorCode, type SendMailOptions } from "./client";
