/**
 * The contact change domain: who may ask for what, which confirmations a request needs, what a
 * confirmation does and when a request is applied. Plain TypeScript; the clock and ids are inputs.
 */
export * from "./apply-to-service";
export * from "./contact-type-flags";
export * from "./decide-cancel";
export * from "./decide-confirmation";
export * from "./decide-resend";
export * from "./needs-confirmation-step";
export * from "./permissions";
export * from "./plan-contact-change";
export * from "./reason-codes";
export * from "./request-states";
export * from "./service-contacts";
export * from "./vocabulary";
