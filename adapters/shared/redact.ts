/**
 * Secrets out of every log and console line, in one place: the line builders of every mode (the JSON
 * loggers of each platform and memory mode, `npm start`'s console, `start:gcp`'s) pass their text here.
 * A client may put a token in a query string (`?access_token=`, RFC 6750 §2.3) however often we ask it
 * not to, and a log line must never hold it.
 */

/** Query parameters whose values are credentials (OAuth 2.0 / OpenID Connect names). */
const SECRET_PARAMETERS = new Set(['access_token', 'token', 'id_token', 'code']);
/** A longer value is redacted whatever its name: no parameter of our API needs one, a pasted token does. */
const MAX_SHOWN_VALUE_LENGTH = 200;
export const REDACTED = '***';

/** `name=value` right after a `?` or `&`: a query string's parameter, wherever it sits in a line. */
const QUERY_PARAMETER = /([?&])([^=&\s"'#?]+)=([^&\s"'#]*)/g;

function decodedName(name: string): string {
  try {
    return decodeURIComponent(name).toLowerCase();
  } catch {
    return name.toLowerCase();
  }
}

/** The text with the value of each secret or over-long query parameter replaced by `***`. */
export function redactSecrets(text: string): string {
  // Most lines hold no query string at all: they cost one scan, not a regex replace.
  if (!text.includes('=')) return text;
  return text.replace(QUERY_PARAMETER, (whole, separator: string, name: string, value: string) =>
    SECRET_PARAMETERS.has(decodedName(name)) || value.length > MAX_SHOWN_VALUE_LENGTH ? `${separator}${name}=${REDACTED}` : whole,
  );
}
