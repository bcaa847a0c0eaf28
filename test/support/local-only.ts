/**
 * What only the local modes may hold (issue 22): the local console's routes (adapters/local/local-console.ts,
 * `/_local`) and the OpenTelemetry SDK that feeds its span store (a dev dependency). A deployed bundle
 * instruments through `@opentelemetry/api` alone. Returns the markers found in a bundle's text.
 */
export function localOnlyMarkers(bundle: string): string[] {
  const markers = { 'the local console (/_local)': '/_local', 'the OpenTelemetry SDK (@opentelemetry/sdk-trace)': 'OTEL_ATTRIBUTE_COUNT_LIMIT' };
  return Object.entries(markers)
    .filter(([, text]) => bundle.includes(text))
    .map(([what]) => what);
}
