export { cancelEmailChange } from "./cancel-email-change";
export { type ChooseLanguageResult, chooseLanguage, followBrowserLanguage } from "./choose-language";
export {
  type ConfirmEmailChangeInput,
  type ConfirmEmailChangeResult,
  confirmEmailChange,
  type EmailChangePreview,
  previewEmailChange,
} from "./confirm-email-change";
export {
  EMAIL_CHANGE_MAX_ATTEMPTS,
  EMAIL_CHANGE_TTL_MS,
  emailAddressSchema,
  languageSchema,
  profileNameSchema,
} from "./email-change-rules";
export { getPendingEmailChange, type PendingEmailChange } from "./get-pending-email-change";
export * from "./reason-codes";
export {
  type RequestEmailChangeInput,
  type RequestEmailChangeResult,
  requestEmailChange,
  type StartedEmailChange,
} from "./request-email-change";
export { type SaveProfileInput, type SaveProfileResult, saveProfile } from "./save-profile";
