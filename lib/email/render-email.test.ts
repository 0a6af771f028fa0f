import { describe, expect, it } from "vitest";
import { EMAIL_TEMPLATES, EmailPropsError } from "./email-templates";
import { renderEmail } from "./render-email";
import BatchEndedEmail from "./templates/batch-ended";
import ChangeRequestEmail from "./templates/change-request";
import ChangeRequestBatchEmail from "./templates/change-request-batch";
import EmailChangeEmail from "./templates/email-change";
import RequestEndedEmail from "./templates/request-ended";
import {
  BASE_URL,
  changeRequestProps,
  emailChangeProps,
  linksOf,
  requestEndedProps,
} from "./testing/email-fixtures";

const LINK_TEXT = { en: "Confirm or refuse the request", pl: "Potwierdź lub odrzuć zlecenie" } as const;

describe("change-request e-mail", () => {
  for (const language of ["en", "pl"] as const) {
    it(`in ${language}, carries the code as text and the exact confirmation link to the request with the token`, async () => {
      const props = changeRequestProps();
      const email = await renderEmail({ template: "change-request", props, language });
      const href = `${BASE_URL}/requests/17?token=${props.code}`;
      expect(linksOf(email.html)).toContainEqual({ href, text: LINK_TEXT[language] });
      expect(email.text).toContain(props.code as string);
      expect(email.text).toContain(href);
      // The code stands alone in the text, so it can be copied when the link is mangled.
      expect(email.text.split("\n").map((line) => line.trim())).toContain(props.code);
      for (const who of [
        "Bartosz Wiśniewski (bb200002-ovh)",
        "Dawid Kowalczyk (dd400004-ovh)",
        "Anna Nowak (aa100001-ovh)",
      ]) {
        expect(email.text).toContain(who);
      }
    });
  }

  it("says what is asked in the recipient's language, with correct Polish", async () => {
    const props = changeRequestProps({ contactTypes: ["billing", "admin", "tech"] });
    const en = await renderEmail({ template: "change-request", props, language: "en" });
    const pl = await renderEmail({ template: "change-request", props, language: "pl" });
    expect(en.text).toContain("administrator, technical, and billing contacts of example.pl (domain)");
    expect(en.text).toContain("Nothing changes until everyone asked has confirmed");
    expect(en.text).toContain("If you did not expect this request, refuse it");
    // In the zone the pages use (Europe/Warsaw by default), named: 09:30 UTC is 10:30 CET.
    expect(en.text).toContain("expires on 15 January 2026 at 10:30 (CET)");
    expect(en.subject).toBe("Confirm or refuse the contact change for example.pl (request 17)");
    expect(pl.text).toContain("Rodzaje kontaktów: administracyjny, techniczny i księgowy");
    expect(pl.text).toContain("Usługa: example.pl (domena)");
    expect(pl.text).toContain("Nic się nie zmieni, dopóki wszystkie wskazane osoby nie potwierdzą zlecenia");
    expect(pl.text).toContain("Jeśli nie spodziewasz się tego zlecenia, odrzuć je");
    expect(pl.text).toContain("Zlecenie wygaśnie 15 stycznia 2026 10:30 (CET)");
    expect(pl.subject).toBe("Potwierdź lub odrzuć zmianę kontaktu usługi example.pl (zlecenie nr 17)");
    expect(pl.html).toContain('lang="pl"');
  });

  it("tells the one who asked that it is their own request, without their name asking them", async () => {
    const props = changeRequestProps({ recipient: { customerId: "aa100001-ovh", name: "Anna Nowak" } });
    const en = await renderEmail({ template: "change-request", props, language: "en" });
    const pl = await renderEmail({ template: "change-request", props, language: "pl" });
    expect(en.text).toContain("Your request to change the technical contact of example.pl (domain) has been");
    expect(en.text).not.toContain("Anna Nowak (aa100001-ovh) asks");
    expect(pl.text).toContain(
      "Twoje zlecenie zmiany kontaktu usługi example.pl (domena) zostało zarejestrowane",
    );
    expect(pl.text).not.toContain("złożone przez: Anna Nowak");
    // A Polish greeting without the name, which would need its vocative.
    expect(pl.text).toMatch(/^Dzień dobry,$/m);
  });

  it("shows times in the app's zone, in summer time too", async () => {
    const props = changeRequestProps({ expiresAt: "2026-07-15T09:30:00.000Z" });
    const en = await renderEmail({ template: "change-request", props, language: "en" });
    const pl = await renderEmail({ template: "change-request", props, language: "pl" });
    expect(en.text).toContain("15 July 2026 at 11:30 (CEST)");
    expect(pl.text).toContain("15 lipca 2026 11:30 (CEST)");
  });

  it("names the single contact type in words", async () => {
    const email = await renderEmail({
      template: "change-request",
      props: changeRequestProps(),
      language: "en",
    });
    expect(email.text).toContain("asks to change the technical contact of example.pl (domain).");
  });

  it("tells on a resend that the previous code no longer works", async () => {
    const email = await renderEmail({
      template: "change-request",
      props: changeRequestProps({ isResend: true }),
      language: "en",
    });
    expect(email.text).toContain("the previous code no longer works");
  });

  it("once the code is scrubbed, shows no token and links to the request alone", async () => {
    const email = await renderEmail({
      template: "change-request",
      props: changeRequestProps({ code: null }),
      language: "en",
    });
    expect(linksOf(email.html)).toContainEqual({ href: `${BASE_URL}/requests/17`, text: LINK_TEXT.en });
    expect(email.html).not.toContain("token=");
  });

  it("escapes what it does not control", async () => {
    const email = await renderEmail({
      template: "change-request",
      props: changeRequestProps({ serviceName: "<b>evil</b>.pl" }),
      language: "en",
    });
    expect(email.html).not.toContain("<b>evil</b>");
    expect(email.html).toContain("&lt;b&gt;evil&lt;/b&gt;.pl");
  });
});

describe("request-ended e-mail", () => {
  const cases = [
    [{ outcome: "done" }, "now the contact", "zmiana została wprowadzona", "is done", "zostało zakończone"],
    [
      { outcome: "refused", actor: { customerId: "dd400004-ovh", name: "Dawid Kowalczyk" } },
      "Dawid Kowalczyk (dd400004-ovh) refused the request",
      "odrzucone przez: Dawid Kowalczyk (dd400004-ovh)",
      "was refused",
      "odrzucone",
    ],
    [{ outcome: "expired" }, "expired", "wygasło", "has expired", "wygasło"],
    [
      { outcome: "cancelled", reason: "withdrawn" },
      "The request was withdrawn",
      "Zlecenie zostało wycofane",
      "was cancelled",
      "anulowane",
    ],
    [
      { outcome: "cancelled", reason: "old_contact_changed" },
      "The contact changed in the meantime",
      "Kontakt do zmiany zmienił się w międzyczasie",
      "was cancelled",
      "anulowane",
    ],
    [
      { outcome: "cancelled", reason: "billing_payments_overdue" },
      "a billing contact concerned is behind with payments",
      "jedno z kont, których dotyczy zlecenie, ma nieuregulowaną fakturę",
      "was cancelled",
      "anulowane",
    ],
    [
      { outcome: "cancelled", reason: "service_removed" },
      "The service has been removed by the provider",
      "Usługa została usunięta przez dostawcę",
      "was cancelled",
      "anulowane",
    ],
    [
      { outcome: "cancelled", reason: "some_future_reason" },
      "no longer valid",
      "przestało być aktualne",
      "was cancelled",
      "anulowane",
    ],
  ] as const;
  for (const [overrides, en, pl, enSubject, plSubject] of cases) {
    it(`explains ${overrides.outcome}${"reason" in overrides ? ` (${overrides.reason})` : ""} in both languages and links to the request without a token`, async () => {
      const props = requestEndedProps(overrides);
      const inEnglish = await renderEmail({ template: "request-ended", props, language: "en" });
      const inPolish = await renderEmail({ template: "request-ended", props, language: "pl" });
      expect(inEnglish.text).toContain(en);
      expect(inPolish.text).toContain(pl);
      expect(inEnglish.subject).toContain(enSubject);
      expect(inEnglish.subject).toContain("17");
      expect(inPolish.subject).toContain(plSubject);
      expect(linksOf(inEnglish.html)).toEqual([{ href: `${BASE_URL}/requests/17`, text: "See the request" }]);
      expect(linksOf(inPolish.html)).toEqual([{ href: `${BASE_URL}/requests/17`, text: "Zobacz zlecenie" }]);
    });
  }

  it("does not say which billing contact is behind with payments", async () => {
    const email = await renderEmail({
      template: "request-ended",
      props: requestEndedProps({
        outcome: "cancelled",
        reason: "billing_payments_overdue",
        contactTypes: ["billing"],
      }),
      language: "en",
    });
    const reasonLine = email.text.split("\n").find((line) => line.includes("payments")) ?? "";
    expect(reasonLine).not.toMatch(/Bartosz|Dawid|bb200002|dd400004/);
  });
});

describe("email-change e-mail", () => {
  it("links to the e-mail confirmation with the token, in both languages", async () => {
    const props = emailChangeProps();
    const en = await renderEmail({ template: "email-change", props, language: "en" });
    const pl = await renderEmail({ template: "email-change", props, language: "pl" });
    const href = `${BASE_URL}/profile/confirm-email?token=${props.code}`;
    expect(linksOf(en.html)).toEqual([{ href, text: "Confirm my e-mail address" }]);
    expect(linksOf(pl.html)).toEqual([{ href, text: "Potwierdź adres e-mail" }]);
    expect(en.subject).toBe("Confirm your new e-mail address");
    expect(pl.subject).toBe("Potwierdź nowy adres e-mail");
    expect(pl.text).toContain("dawid.new@example.test");
  });
});

describe("every e-mail in Polish", () => {
  const polish = [
    ["change-request", changeRequestProps()],
    ["request-ended", requestEndedProps({ outcome: "done" })],
    ["email-change", emailChangeProps()],
  ] as const;
  for (const [template, props] of polish) {
    it(`${template}: has its footer in Polish and no English sentence`, async () => {
      const pl = await renderEmail({ template, props, language: "pl" });
      const en = await renderEmail({ template, props, language: "en" });
      expect(pl.text).toContain(
        "Kontakty usług: kontakty administracyjne, techniczne i księgowe Twoich usług.",
      );
      expect(pl.text).not.toContain("Service Contacts");
      // No line of the English e-mail (beyond names, addresses, codes and links) is left in Polish.
      const lines = (text: string) =>
        text
          .split("\n")
          .map((line) => line.trim())
          .filter((line) => /[a-z]{3,} [a-z]{3,}/i.test(line) && !line.includes("http"));
      const english = new Set(lines(en.text));
      expect(lines(pl.text).filter((line) => english.has(line))).toEqual([]);
    });
  }
});

describe("renderEmail", () => {
  it("refuses props that do not fit the template", async () => {
    await expect(
      renderEmail({
        template: "change-request",
        props: { ...changeRequestProps(), requestId: "17" },
        language: "en",
      }),
    ).rejects.toThrow(EmailPropsError);
    await expect(
      renderEmail({
        template: "change-request",
        props: { ...changeRequestProps(), contactTypes: [] },
        language: "en",
      }),
    ).rejects.toThrow(/contactTypes/);
    await expect(renderEmail({ template: "no-such-template", props: {}, language: "en" })).rejects.toThrow(
      EmailPropsError,
    );
  });

  it("renders every template from its preview props, whose subject is computed synchronously", async () => {
    const previews = {
      "change-request": ChangeRequestEmail.PreviewProps,
      "change-request-batch": ChangeRequestBatchEmail.PreviewProps,
      "request-ended": RequestEndedEmail.PreviewProps,
      "batch-ended": BatchEndedEmail.PreviewProps,
      "email-change": EmailChangeEmail.PreviewProps,
    };
    expect(Object.keys(previews).sort()).toEqual(Object.keys(EMAIL_TEMPLATES).sort());
    for (const [template, { language, ...props }] of Object.entries(previews)) {
      const email = await renderEmail({ template, props, language });
      expect(email.html).toMatch(/^<!DOCTYPE html/);
      expect(email.text.length).toBeGreaterThan(50);
      const subject = EMAIL_TEMPLATES[template as keyof typeof EMAIL_TEMPLATES].prepare(props, language);
      expect(subject.ok && subject.subject).toBe(email.subject);
    }
  });

  it("gives the batch e-mail one code and a link to the batch page, in the recipient's language", async () => {
    const { language: _, ...props } = ChangeRequestBatchEmail.PreviewProps;
    const en = await renderEmail({ template: "change-request-batch", props, language: "en" });
    expect(en.subject).toBe("Confirm or refuse 2 contact changes (batch 7)");
    expect(en.html).toContain(`href="http://localhost:3000/requests/batches/7?token=${props.code}"`);
    expect(en.text).toContain("Confirm or refuse the requests");
    expect(en.text).toContain("shop.example.pl (web hosting): technical");
    const pl = await renderEmail({ template: "change-request-batch", props, language: "pl" });
    expect(pl.text).toContain("Potwierdź lub odrzuć zlecenia");
    expect(pl.text).toContain("kontakt techniczny");
    const scrubbed = await renderEmail({
      template: "change-request-batch",
      props: { ...props, code: null },
      language: "en",
    });
    expect(scrubbed.html).toContain('href="http://localhost:3000/requests/batches/7"');
    expect(scrubbed.text).not.toContain(props.code);
  });
});
