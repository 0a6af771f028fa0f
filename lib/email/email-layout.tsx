import {
  Body,
  Container,
  Head,
  Heading,
  Hr,
  Html,
  Link,
  Preview,
  Section,
  Text,
} from "@react-email/components";
import type { CSSProperties, ReactNode } from "react";
import type { Language } from "@/db/schema";

/** The app's name as the pages show it (App.name), then what it is. */
const FOOTER: Record<Language, string> = {
  en: "Service Contacts: the administrator, technical and billing contacts of your services.",
  pl: "Kontakty usług: kontakty administracyjne, techniczne i księgowe Twoich usług.",
};

const styles = {
  body: { backgroundColor: "#f4f5f7", fontFamily: "Arial, Helvetica, sans-serif", color: "#1f2328" },
  container: { backgroundColor: "#ffffff", margin: "24px auto", padding: "24px 32px", maxWidth: "560px" },
  heading: { fontSize: "20px", margin: "0 0 16px" },
  text: { fontSize: "15px", lineHeight: "22px", margin: "0 0 12px" },
  detail: { fontSize: "15px", lineHeight: "22px", margin: "0 0 4px" },
  code: {
    fontFamily: "'Courier New', Courier, monospace",
    fontSize: "16px",
    backgroundColor: "#f4f5f7",
    padding: "8px 12px",
    wordBreak: "break-all",
    margin: "0 0 12px",
  },
  button: {
    display: "inline-block",
    backgroundColor: "#0b5cad",
    color: "#ffffff",
    fontWeight: "bold",
    padding: "12px 20px",
    borderRadius: "4px",
    textDecoration: "none",
  },
  footer: { fontSize: "12px", color: "#57606a", margin: "0" },
} satisfies Record<string, CSSProperties>;

/** The frame every e-mail shares: a preview line, a heading and a footer. */
export function EmailLayout(props: {
  language: Language;
  preview: string;
  heading: string;
  children: ReactNode;
}) {
  return (
    <Html lang={props.language}>
      <Head />
      <Preview>{props.preview}</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Heading as="h1" style={styles.heading}>
            {props.heading}
          </Heading>
          {props.children}
          <Hr />
          <Text style={styles.footer}>{FOOTER[props.language]}</Text>
        </Container>
      </Body>
    </Html>
  );
}

/** A paragraph. */
export function Paragraph(props: { children: ReactNode }) {
  return <Text style={styles.text}>{props.children}</Text>;
}

/** "Label: value" lines describing a request. */
export function Details(props: { rows: ReadonlyArray<readonly [label: string, value: string]> }) {
  return (
    <Section style={{ margin: "0 0 12px" }}>
      {props.rows.map(([label, value]) => (
        <Text key={label} style={styles.detail}>
          <strong>{label}:</strong> {value}
        </Text>
      ))}
    </Section>
  );
}

/** A one-time code, shown as plain text so it can be copied when the link does not work. */
export function CodeBlock(props: { children: string }) {
  return <Text style={styles.code}>{props.children}</Text>;
}

/**
 * A link styled as a button. A plain `<a>` rather than React Email's `Button`, whose
 * Outlook spacers would sit inside the link and blur its accessible name.
 */
export function ActionLink(props: { href: string; children: string }) {
  return (
    <Section style={{ margin: "20px 0" }}>
      <Link href={props.href} style={styles.button}>
        {props.children}
      </Link>
    </Section>
  );
}
